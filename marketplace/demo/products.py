"""The demo products: every category has some, each shop sells what its craft makes.

Prices are toman as a producer would type them. `state` is where the product ends up: most are
published, a few wait for review, are drafts, were sent back with a reason, or are archived.
`photo` is (motif, colours) for marketplace.demo.photos; `photos` how many views to draw.
"""

from typing import NamedTuple


class DemoProduct(NamedTuple):
    shop: int  # index into data.SHOPS
    title: str
    category: str  # slug
    price: int  # toman
    description: str
    tags: str
    materials: str
    weight_g: int
    photo: tuple[str, tuple[str, ...]]
    photos: int = 2
    stock: int = 6
    lead_days: int | None = None  # made to order when set
    option: tuple[str, tuple[tuple[str, int, int], ...]] | None = None  # (name, ((value, stock, toman more), …))
    size_cm: tuple[int, int, int] | None = None  # length, width, height
    state: str = "published"
    reason: str = ""


RED, CRIMSON, TURQUOISE, COBALT, SAFFRON, CREAM = "#b0202a", "#8b1e3f", "#1e8a8a", "#1f3a8f", "#e0a526", "#f1e6cc"
NAVY, GREEN, OLIVE, BROWN, TAN, PLUM = "#1f3a5f", "#2e7d4f", "#8a7a3a", "#6b4226", "#b07a48", "#7b2d5b"
AMBER, LEAF, ROSE, BLACK_CLOTH, ORANGE = "#a0601a", "#5f8f3a", "#e7a1a8", "#1f1a24", "#c56a2a"

# fmt: off
PRODUCTS = [
    # ---------------------------------------------------------------- 0 گلدوزی مریم
    DemoProduct(
        0, "روسری نخی با گلدوزی بته‌جقه", "scarves", 950_000,
        "روسری نخی خنک با گلدوزی دستی بته‌جقه در گوشه‌ها. نقش‌ها را با نخ ابریشم و همان طرحی که مادرم روی "
        "بقچه‌ها می‌دوخت کار کرده‌ام. برای هر روز و مهمانی مناسب است و با آب سرد شسته می‌شود.",
        tags="روسری|گلدوزی|بته‌جقه|هدیه", materials="پارچهٔ نخی، نخ ابریشم", weight_g=120,
        photo=("scarf", (CRIMSON, SAFFRON, TURQUOISE)), photos=3,
        option=("رنگ", (("زرشکی", 3, 0), ("سرمه‌ای", 2, 0), ("فیروزه‌ای", 2, 50_000))),
    ),
    DemoProduct(
        0, "رومیزی گلدوزی گل و مرغ", "home-textiles", 1_850_000,
        "رومیزی کتان با گلدوزی گل و مرغ در چهار گوشه و حاشیهٔ دوخت‌دار. برای میز چهارنفره اندازه است و رنگ "
        "نخ‌ها در شست‌وشو نمی‌رود.",
        tags="رومیزی|گلدوزی|سفره|کتان", materials="کتان، نخ دمسه", weight_g=480,
        photo=("stitch", (RED, NAVY, SAFFRON, CREAM)), photos=1, stock=3, size_cm=(140, 140, 1),
    ),
    DemoProduct(
        0, "کوسن گلدوزی ستاره‌ای", "home-textiles", 780_000,
        "رویهٔ کوسن با ستاره‌های هشت‌پر گلدوزی‌شده روی پارچهٔ کرم. زیپ مخفی دارد و بالش داخلش جداست.",
        tags="کوسن|گلدوزی|دکور", materials="پارچهٔ کتان، نخ دمسه", weight_g=350,
        photo=("stitch", (TURQUOISE, RED, SAFFRON, CREAM)), photos=2, size_cm=(45, 45, 12), state="changes_requested",
        reason="عکس‌ها کمی تیره است و اندازهٔ کوسن در توضیح نیامده. لطفاً در نور روز عکس بگیرید و اندازه را "
        "بنویسید.",
    ),
    DemoProduct(
        0, "دستمال گلدوزی سنتی خراسان", "needlework", 320_000,
        "دستمال کوچک با گلدوزی سنتی خراسان، مناسب زیر گلدان یا قاب کردن. هر دستمال حدود سه روز کار دست است.",
        tags="گلدوزی|دستمال|خراسان|سنتی", materials="پارچهٔ نخی، نخ ابریشم", weight_g=60,
        photo=("stitch", (CRIMSON, GREEN, SAFFRON, CREAM)), photos=1, stock=8,
    ),
    DemoProduct(
        0, "تابلو گلدوزی گل‌های بهاری", "needlework", 1_400_000,
        "تابلوی گلدوزی‌شده با گل‌های بهاری در قاب چوبی ساده. نقش را خودم کشیده‌ام و با بیش از ده رنگ نخ "
        "دوخته‌ام. سفارشی با رنگ دلخواه شما هم دوخته می‌شود.",
        tags="تابلو|گلدوزی|هدیه|دکور", materials="پارچهٔ کتان، نخ ابریشم، قاب چوب", weight_g=650,
        photo=("stitch", (ROSE, GREEN, SAFFRON, CREAM)), photos=2, stock=0, lead_days=12, size_cm=(40, 30, 2),
    ),
    DemoProduct(
        0, "جلد دفترچهٔ چرمی با گلدوزی", "leather", 690_000,
        "جلد چرم طبیعی برای دفترچهٔ A5 با یک قاب گلدوزی روی رو. دفترچه قابل تعویض است و جلد سال‌ها می‌ماند.",
        tags="چرم|دفترچه|گلدوزی|هدیه", materials="چرم گاوی، نخ ابریشم", weight_g=260, photo=("wallet", (TAN, CREAM)),
        photos=1, stock=4,
    ),
    DemoProduct(
        0, "دستگیرهٔ آشپزخانه گلدوزی", "kitchenware", 180_000,
        "دستگیرهٔ ضخیم پنبه‌دوزی‌شده با گلدوزی کوچک. داغی قابلمه را خوب نگه می‌دارد و در ماشین لباسشویی شسته "
        "می‌شود.",
        tags="آشپزخانه|دستگیره|گلدوزی", materials="پارچهٔ نخی، لایی پنبه", weight_g=70,
        photo=("stitch", (RED, SAFFRON, CREAM)), photos=1, stock=12,
    ),
    DemoProduct(
        0, "پارچهٔ گلدوزی‌شده برای سرآستین و یقه", "clothing-textiles", 420_000,
        "نوار پارچهٔ گلدوزی‌شده به طول یک متر برای دوخت روی یقه، سرآستین یا دامن. چند طرح و رنگ آماده دارم.",
        tags="پارچه|گلدوزی|خیاطی|نوار", materials="پارچهٔ نخی، نخ دمسه", weight_g=90,
        photo=("stitch", (NAVY, RED, SAFFRON, CREAM)), photos=1, stock=10,
    ),
    DemoProduct(
        0, "پیراهن نخی با یقهٔ گلدوزی", "clothing", 2_300_000,
        "پیراهن زنانهٔ نخی و خنک با یقه و سرآستین گلدوزی‌شده. دوخت ساده و راحت است و برای تابستان مشهد بسیار "
        "مناسب است.",
        tags="پیراهن|گلدوزی|لباس زنانه|تابستانی", materials="پارچهٔ نخی، نخ ابریشم", weight_g=380,
        photo=("garment", (CREAM, CRIMSON, SAFFRON)), photos=2, stock=0, lead_days=14,
        option=("سایز", (("۳۸", 0, 0), ("۴۰", 0, 0), ("۴۲", 0, 0), ("۴۴", 0, 100_000))),
    ),
    # ---------------------------------------------------------------- 1 ترشی خانگی فاطمه
    DemoProduct(
        1, "ترشی لیتهٔ خانگی", "pickles", 185_000,
        "لیتهٔ بادمجان با سبزی معطر و سرکهٔ انگور خانگی، به رسم خانه‌های قدیمی مشهد. دست‌کم یک ماه جا افتاده "
        "و طعمش ملایم است.",
        tags="ترشی|لیته|بادمجان|خانگی", materials="بادمجان، سبزی معطر، سرکهٔ انگور، نمک", weight_g=700,
        photo=("pickle_jar", (OLIVE, LEAF, "#4a3b2a", SAFFRON, RED)), photos=3, stock=15,
        option=("وزن", (("۵۰۰ گرم", 10, 0), ("یک کیلو", 5, 150_000))),
    ),
    DemoProduct(
        1, "سیر ترشی هفت‌ساله", "pickles", 420_000,
        "سیر ترشی که هفت سال در سرکه مانده و سیاه و شیرین شده است. حبه‌ها نرم‌اند و تندی سیر تازه را ندارند.",
        tags="سیر ترشی|ترشی|سیر|قدیمی", materials="سیر، سرکهٔ انگور", weight_g=600,
        photo=("pickle_jar", ("#3b2a22", "#6b4a2a", "#8a6a3a", RED)), photos=2,
    ),
    DemoProduct(
        1, "ترشی مخلوط شور", "pickles", 160_000,
        "کلم، هویج، گل‌کلم و خیار در آب‌نمک، ترد و خوش‌رنگ. بی‌نگهدارنده است و بعد از باز کردن در یخچال "
        "بماند.",
        tags="شور|ترشی مخلوط|خانگی", materials="کلم، هویج، گل‌کلم، خیار، نمک", weight_g=750,
        photo=("pickle_jar", ("#c9b56a", ORANGE, LEAF, CREAM, RED)), photos=1, stock=20,
    ),
    DemoProduct(
        1, "ترشی هفت‌بیجار", "pickles", 210_000,
        "هفت‌بیجار با هفت جور سبزی و صیفی ریزشده و ادویهٔ خانگی. کنار پلو و کباب خوردنی است.",
        tags="ترشی|هفت‌بیجار|خانگی", materials="بادمجان، هویج، کرفس، گل‌کلم، سبزی، سرکه", weight_g=700,
        photo=("pickle_jar", (OLIVE, ORANGE, LEAF, SAFFRON, RED)), photos=2, stock=8, state="changes_requested",
        reason="تاریخ تولید و انقضا روی برچسب شیشه دیده نمی‌شود. لطفاً عکسی از برچسب اضافه کنید.",
    ),
    DemoProduct(
        1, "رب گوجه‌فرنگی خانگی", "spices-pastes", 230_000,
        "رب غلیظ از گوجه‌فرنگی رسیدهٔ تابستان که روی آتش ملایم پخته شده است. نمک کمی دارد و بی‌رنگ و "
        "نگهدارنده است.",
        tags="رب|رب گوجه|خانگی", materials="گوجه‌فرنگی، نمک", weight_g=900, photo=("jar", ("#a3201a", RED)), photos=1,
        stock=12,
    ),
    # ---------------------------------------------------------------- 2 گلیم سیدی
    DemoProduct(
        2, "گلیم دستباف یک‌ونیم متری", "carpets-kilims", 8_500_000,
        "گلیم پشمی با رنگ گیاهی روناس و نیل، بافته‌شده روی دار خانگی. نقش لوزی‌های تودرتو از گلیم‌های قدیمی "
        "خراسان گرفته شده است. هر گلیم حدود یک ماه کار است.",
        tags="گلیم|دستباف|رنگ گیاهی|فرش", materials="پشم دست‌ریس، رنگ روناس و نیل", weight_g=3800,
        photo=("kilim", (RED, NAVY, SAFFRON)), photos=4, stock=0, lead_days=35, size_cm=(150, 100, 1),
    ),
    DemoProduct(
        2, "گبهٔ کوچک کنار تخت", "carpets-kilims", 4_200_000,
        "گبهٔ ضخیم و نرم به اندازهٔ کنار تخت با رنگ‌های گرم. پرز بلند دارد و زیر پا گرم است.",
        tags="گبه|فرش|دستباف", materials="پشم، رنگ گیاهی", weight_g=2200, photo=("kilim", ("#9c5a23", CREAM, CRIMSON)),
        photos=1, stock=2, size_cm=(90, 60, 2),
    ),
    DemoProduct(
        2, "گلیم پشتی", "carpets-kilims", 2_600_000,
        "رویهٔ پشتی گلیمی با نقش ستاره و حاشیهٔ زنجیره. برای پشتی‌های استاندارد اندازه است.",
        tags="گلیم|پشتی|دستباف", materials="پشم، پنبه", weight_g=900, photo=("kilim", (NAVY, RED, CREAM)), photos=2,
        stock=3, size_cm=(90, 50, 1),
    ),
    DemoProduct(
        2, "گلیم سفارشی با طرح و اندازهٔ دلخواه", "carpets-kilims", 12_000_000,
        "گلیم را به اندازه و رنگ خانهٔ شما می‌بافم. اول طرح را با هم انتخاب می‌کنیم و عکس پیشرفت کار را "
        "می‌فرستم. قیمت برای دو متر مربع است.",
        tags="گلیم|سفارشی|دستباف", materials="پشم دست‌ریس، رنگ گیاهی", weight_g=5000,
        photo=("kilim", (GREEN, CREAM, RED)), photos=1, stock=0, lead_days=45,
    ),
    DemoProduct(
        2, "کوسن گلیمی", "home-textiles", 650_000,
        "کوسن با رویهٔ گلیم دستباف و پشت پارچهٔ کتان. از باقی‌ماندهٔ نخ‌های گلیم بافته شده و هر کدام یک‌تاست.",
        tags="کوسن|گلیم|دکور", materials="پشم، کتان", weight_g=500, photo=("kilim", (CRIMSON, SAFFRON, NAVY)),
        photos=2, size_cm=(40, 40, 12),
    ),
    DemoProduct(
        2, "چهارپایهٔ چوبی با رویهٔ گلیم", "woodwork", 1_900_000,
        "چهارپایهٔ کوتاه از چوب گردو با رویهٔ گلیم دستباف. برای کنار مبل یا جاکفشی مناسب است.",
        tags="چهارپایه|چوب|گلیم|مبلمان", materials="چوب گردو، گلیم پشمی", weight_g=3200,
        photo=("wood", ("#8a5a2a", RED)), photos=1, stock=2, size_cm=(40, 40, 45),
    ),
    DemoProduct(
        2, "دیوارکوب گلیم کوچک", "decor", 850_000,
        "گلیم کوچک با چوب آویز برای دیوار. رنگ‌ها گیاهی است و در آفتاب کم‌رنگ نمی‌شود.",
        tags="دیوارکوب|گلیم|دکور", materials="پشم، چوب", weight_g=400, photo=("kilim", (SAFFRON, CRIMSON, NAVY)),
        photos=2, stock=5, size_cm=(50, 35, 1),
    ),
    # ---------------------------------------------------------------- 3 مربای خانگی معصومه
    DemoProduct(
        3, "مربای به با هل", "jams", 240_000,
        "مربای به با تکه‌های درشت و رنگ یاقوتی، با هل و کمی گلاب. قندش کم است و میوه‌اش از باغ‌های طرقبه است.",
        tags="مربا|به|خانگی|صبحانه", materials="به، شکر، هل، گلاب", weight_g=650, photo=("jar", ("#b5371f", RED)),
        photos=3, stock=14,
    ),
    DemoProduct(
        3, "مربای آلبالو", "jams", 260_000,
        "مربای آلبالوی ترش‌وشیرین با دانه‌های درسته. برای آلبالوپلو هم می‌شود از شربتش استفاده کرد.",
        tags="مربا|آلبالو|خانگی", materials="آلبالو، شکر", weight_g=650, photo=("jar", (CRIMSON, SAFFRON)), photos=2,
        stock=10,
    ),
    DemoProduct(
        3, "مربای هویج با خلال بادام", "jams", 220_000,
        "مربای هویج خوش‌عطر با خلال بادام و هل. رنگ نارنجی‌اش طبیعی است و رنگ خوراکی ندارد.",
        tags="مربا|هویج|بادام", materials="هویج، شکر، خلال بادام، هل", weight_g=650, photo=("jar", (ORANGE, GREEN)),
        photos=1, stock=9,
    ),
    DemoProduct(
        3, "مارمالاد پرتقال", "jams", 250_000,
        "مارمالاد پرتقال با پوست ریزشده، کمی تلخ و بسیار خوش‌عطر. با نان تست و کره عالی است.",
        tags="مارمالاد|پرتقال|صبحانه", materials="پرتقال، شکر، آبلیمو", weight_g=600, photo=("jar", (SAFFRON, ORANGE)),
        photos=2, stock=7,
    ),
    DemoProduct(
        3, "مربای توت‌فرنگی", "jams", 270_000,
        "مربای توت‌فرنگی با میوهٔ درسته. فصلش تمام شده و تا بهار آینده پخته نمی‌شود.",
        tags="مربا|توت‌فرنگی", materials="توت‌فرنگی، شکر", weight_g=650, photo=("jar", ("#c2203a", GREEN)), photos=1,
        stock=0, state="archived",
    ),
    DemoProduct(
        3, "رب انار ملس", "spices-pastes", 290_000,
        "رب انار ملس از انار ساوه که ساعت‌ها روی آتش ملایم جوشیده است. برای فسنجان و سالاد شیرازی عالی است.",
        tags="رب انار|انار|چاشنی", materials="انار", weight_g=500, photo=("jar", ("#5a1420", CRIMSON)), photos=2,
        stock=11,
    ),
    DemoProduct(
        3, "جعبهٔ هدیهٔ چهار مربا", "home-food", 980_000,
        "چهار شیشهٔ کوچک مربای به، آلبالو، هویج و مارمالاد در جعبهٔ هدیه. برای سوغات و هدیهٔ عید مناسب است.",
        tags="هدیه|مربا|سوغات|جعبه", materials="به، آلبالو، هویج، پرتقال، شکر", weight_g=1400,
        photo=("giftbox", (CRIMSON, SAFFRON, ORANGE, "#b5371f", GREEN)), photos=1, stock=5,
    ),
    # ---------------------------------------------------------------- 4 سفال رجایی
    DemoProduct(
        4, "بشقاب سفالی لعاب فیروزه‌ای", "pottery", 650_000,
        "بشقاب سفالی با لعاب فیروزه‌ای و نقش گل در میان، ساخته و لعاب‌خورده در کارگاه خودمان. برای سرو غذا و "
        "آویختن روی دیوار مناسب است.",
        tags="سفال|بشقاب|فیروزه‌ای|لعابی", materials="گل رس، لعاب فیروزه‌ای", weight_g=900,
        photo=("plate", (TURQUOISE, COBALT)), photos=4, stock=8, size_cm=(28, 28, 3),
    ),
    DemoProduct(
        4, "کاسهٔ سفالی لعابی", "pottery", 480_000,
        "کاسهٔ سفالی با لعاب فیروزه‌ای و نوار خال‌دار. برای ماست، آش و سالاد اندازهٔ خوبی دارد.",
        tags="سفال|کاسه|لعابی", materials="گل رس، لعاب", weight_g=600, photo=("bowl", (TURQUOISE, COBALT, SAFFRON)),
        photos=1, stock=10, size_cm=(18, 18, 9),
    ),
    DemoProduct(
        4, "گلدان سفالی کوچک", "pottery", 390_000,
        "گلدان کوچک سفالی برای گل خشک یا کاکتوس. زیرش سوراخ ندارد و برای آب دادن زیاد مناسب نیست.",
        tags="سفال|گلدان|دکور", materials="گل رس، لعاب", weight_g=500, photo=("bowl", (COBALT, TURQUOISE, CREAM)),
        photos=2, stock=12, state="in_review",
    ),
    DemoProduct(
        4, "سرویس شش‌تکهٔ پیش‌دستی", "pottery", 3_200_000,
        "شش پیش‌دستی سفالی با لعاب فیروزه‌ای و لاجوردی. سرویس را پس از سفارش می‌سازیم و در کوره می‌پزیم.",
        tags="سفال|سرویس|پیش‌دستی|هدیه", materials="گل رس، لعاب", weight_g=3600, photo=("plate", (COBALT, TURQUOISE)),
        photos=1, stock=0, lead_days=20,
    ),
    DemoProduct(
        4, "ماگ سفالی دست‌ساز", "kitchenware", 420_000,
        "ماگ سفالی با دستهٔ محکم و لعاب براق. در ماشین ظرف‌شویی شسته می‌شود و در مایکروویو هم می‌رود.",
        tags="ماگ|لیوان|سفال|آشپزخانه", materials="گل رس، لعاب بی‌سرب", weight_g=380,
        photo=("bowl", (SAFFRON, TURQUOISE, COBALT)), photos=2, stock=15,
        option=("رنگ", (("فیروزه‌ای", 6, 0), ("زرد", 5, 0), ("لاجوردی", 4, 0))),
    ),
    DemoProduct(
        4, "قندان سفالی درب‌دار", "kitchenware", 560_000,
        "قندان سفالی با درب و نقش خال‌خالی فیروزه‌ای. با بشقاب‌های همین کارگاه ست است.",
        tags="قندان|سفال|آشپزخانه", materials="گل رس، لعاب بی‌سرب", weight_g=700,
        photo=("bowl", (TURQUOISE, CREAM, COBALT)), photos=1,
    ),
    DemoProduct(
        4, "آویز سفالی چشم‌نظر", "decor", 150_000,
        "آویز کوچک سفالی با لعاب لاجوردی برای در و دیوار. با بند کنفی آماده است.",
        tags="آویز|سفال|چشم‌نظر|دکور", materials="گل رس، لعاب، بند کنفی", weight_g=80,
        photo=("plate", (COBALT, TURQUOISE)), photos=1, stock=25,
    ),
    DemoProduct(
        4, "آینهٔ دیواری با قاب کاشی", "home-decor", 2_700_000,
        "آینهٔ گرد با قاب کاشی‌های کوچک لعاب‌خورده که یکی‌یکی کنار هم چیده شده‌اند. برای راهرو و ورودی خانه.",
        tags="آینه|کاشی|سفال|دکور", materials="کاشی سفالی، آینه، تختهٔ چندلا", weight_g=4200,
        photo=("plate", (TURQUOISE, SAFFRON)), photos=1, stock=1, size_cm=(60, 60, 3),
    ),
    DemoProduct(
        4, "جعبهٔ چوبی با درب کاشی", "woodwork", 1_100_000,
        "جعبهٔ چوبی کوچک برای زیورآلات با یک کاشی لعابی روی درب. داخلش با نمد نرم پوشانده شده است.",
        tags="جعبه|چوب|کاشی|هدیه", materials="چوب راش، کاشی سفالی، نمد", weight_g=700,
        photo=("wood", ("#a0703a", TURQUOISE)), photos=2, stock=4,
    ),
    # ---------------------------------------------------------------- 5 شیرینی خانگی رقیه
    DemoProduct(
        5, "شیرینی نخودچی با هل", "sweets-bread", 360_000,
        "نخودچی خانگی با آرد نخودچی تازه، روغن حیوانی و هل. بافت ترد و لطیفی دارد و در دهان آب می‌شود. هر "
        "بسته حدود نیم کیلو است.",
        tags="شیرینی|نخودچی|نوروز|خانگی", materials="آرد نخودچی، روغن حیوانی، شکر، هل، پسته", weight_g=500,
        photo=("cookies", (CREAM, "#ecd9a8", "#c9a86a")), photos=3, stock=20,
    ),
    DemoProduct(
        5, "کلوچهٔ خانگی گردویی", "sweets-bread", 280_000,
        "کلوچهٔ نرم با مغز گردو و دارچین که هر روز صبح پخته می‌شود. شش عدد در هر بسته است.",
        tags="کلوچه|گردو|شیرینی", materials="آرد، گردو، شکر، دارچین، روغن", weight_g=450,
        photo=("cookies", ("#c9924a", TAN, "#8a5a2a")), photos=2, stock=16,
    ),
    DemoProduct(
        5, "نان برنجی کرمانشاهی", "sweets-bread", 320_000,
        "نان برنجی سفید و شکننده با خشخاش، به دستور مادرشوهرم که اهل کرمانشاه است. "
        "در جعبهٔ مقوایی بسته می‌شود تا در راه نشکند.",
        tags="نان برنجی|شیرینی|خشخاش", materials="آرد برنج، روغن، شکر، خشخاش", weight_g=450,
        photo=("cookies", (CREAM, "#f5ecd8", "#b9a67a")), photos=1, stock=12,
    ),
    DemoProduct(
        5, "نان شیرمال سنتی", "sweets-bread", 150_000,
        "شیرمال نرم با شیر و زعفران که هر روز صبح پخته می‌شود. بهتر است همان روز میل شود.",
        tags="نان|شیرمال|زعفران|صبحانه", materials="آرد، شیر، زعفران، شکر", weight_g=400,
        photo=("cookies", ("#e2b25a", SAFFRON, "#8a5a2a")), photos=1, stock=10,
    ),
    DemoProduct(
        5, "کیک یزدی", "sweets-bread", 240_000,
        "کیک یزدی پفکی با گلاب و هل در قالب‌های کاغذی. دوازده عدد در هر جعبه است.",
        tags="کیک|یزدی|شیرینی", materials="آرد، تخم‌مرغ، شکر، روغن، گلاب، هل", weight_g=600,
        photo=("cookies", ("#e8b860", "#d9a040", "#8a5a2a")), photos=1, stock=8, state="in_review",
    ),
    DemoProduct(
        5, "سوهان عسلی خانگی", "home-food", 300_000,
        "سوهان عسلی ترد با بادام و پستهٔ خلالی. در ظرف دربسته تا یک ماه تازه می‌ماند.",
        tags="سوهان|عسلی|شیرینی|سوغات", materials="شکر، عسل، بادام، پسته، زعفران", weight_g=400,
        photo=("cookies", (SAFFRON, "#c98a2a", "#8a5a2a")), photos=1, stock=14, state="draft",
    ),
    # ---------------------------------------------------------------- 6 سبزی خشک لیلا
    DemoProduct(
        6, "سبزی قورمهٔ خشک", "dried-herbs", 150_000,
        "تره، جعفری، شنبلیله و گشنیز تازه که شسته و در سایه خشک شده است تا رنگ و بویش بماند. دویست گرم برای "
        "چند قورمه کافی است.",
        tags="سبزی خشک|قورمه|سبزی", materials="تره، جعفری، شنبلیله، گشنیز", weight_g=200,
        photo=("herbs", (GREEN, LEAF, "#3f6a2a")), photos=3, stock=30,
    ),
    DemoProduct(
        6, "سبزی آش خشک", "dried-herbs", 140_000,
        "مخلوط سبزی آش رشته: جعفری، گشنیز، اسفناج، شوید و تره. تمیز و بی‌خاک است و فقط کافی است خیس کنید.",
        tags="سبزی خشک|آش|سبزی", materials="جعفری، گشنیز، اسفناج، شوید، تره", weight_g=200,
        photo=("herbs", (LEAF, GREEN, "#8aa64a")), photos=2, stock=25,
    ),
    DemoProduct(
        6, "دمنوش گل‌گاوزبان و لیمو", "dried-herbs", 190_000,
        "گل‌گاوزبان خشک با لیموعمانی و کمی بهارنارنج برای دمنوش عصر. آرام‌بخش و خوش‌رنگ است.",
        tags="دمنوش|گل‌گاوزبان|چای", materials="گل‌گاوزبان، لیموعمانی، بهارنارنج", weight_g=100,
        photo=("herbs", ("#6a3f8a", "#8a5aa6", SAFFRON)), photos=1, stock=18,
    ),
    DemoProduct(
        6, "گل محمدی خشک", "dried-herbs", 260_000,
        "گل محمدی خشک‌شده در سایه، پرعطر و خوش‌رنگ. برای دمنوش، شیرینی و شله‌زرد مناسب است.",
        tags="گل محمدی|گل سرخ|دمنوش", materials="گل محمدی", weight_g=100,
        photo=("herbs", (ROSE, "#c9607a", "#e8b0b8")), photos=2, stock=12, state="in_review",
    ),
    DemoProduct(
        6, "ادویهٔ پلویی خانگی", "spices-pastes", 170_000,
        "دارچین، هل، گل سرخ و زیره که تازه آسیاب می‌شود. برای باقالی‌پلو و عدس‌پلو عطر خوبی دارد.",
        tags="ادویه|پلو|ادویهٔ خانگی", materials="دارچین، هل، گل سرخ، زیره", weight_g=150,
        photo=("jar", ("#8a5a2a", ORANGE)), photos=1, stock=20,
    ),
    DemoProduct(
        6, "زعفران سرگل قائنات", "spices-pastes", 1_200_000,
        "زعفران سرگل از مزرعهٔ خانوادگی در قائنات، یک مثقال در بستهٔ دربسته. رنگ‌دهی و عطرش بسیار قوی است.",
        tags="زعفران|قائنات|ادویه|سوغات", materials="کلالهٔ زعفران", weight_g=20,
        photo=("herbs", ("#a3201a", RED, SAFFRON)), photos=2, stock=9,
    ),
    # ---------------------------------------------------------------- 7 صابون گیاهی توس
    DemoProduct(
        7, "صابون روغن زیتون", "soap", 120_000,
        "صابون سرد‌فرایند با روغن زیتون خالص که شش هفته خشک شده است. برای پوست حساس و کودکان مناسب است.",
        tags="صابون|زیتون|دست‌ساز|پوست حساس", materials="روغن زیتون، آب، سود", weight_g=110,
        photo=("soap", ("#c9d7a5", "#b8c98a", "#e6efc8")), photos=3, stock=40,
    ),
    DemoProduct(
        7, "صابون گل سرخ", "soap", 140_000,
        "صابون با گلبرگ گل محمدی و روغن بادام شیرین. عطر ملایمی دارد و پوست را خشک نمی‌کند.",
        tags="صابون|گل سرخ|دست‌ساز", materials="روغن زیتون، روغن بادام، گلبرگ گل محمدی", weight_g=110,
        photo=("soap", ("#f0c8c8", ROSE, "#f8e0e0")), photos=2, stock=30,
        option=("رایحه", (("گل محمدی", 15, 0), ("بهارنارنج", 15, 10_000))),
    ),
    DemoProduct(
        7, "صابون جو دوسر و عسل", "soap", 130_000,
        "صابون لایه‌بردار ملایم با جو دوسر آسیاب‌شده و عسل طبیعی. برای صورت و بدن.",
        tags="صابون|جو دوسر|عسل", materials="روغن زیتون، جو دوسر، عسل", weight_g=110,
        photo=("soap", ("#efe3c6", "#e0cfa0", "#f5ecd8")), photos=1, stock=25,
    ),
    DemoProduct(
        7, "روغن بادام شیرین خالص", "natural-care", 260_000,
        "روغن بادام شیرین پرس سرد در شیشهٔ قطره‌چکان. برای نرم کردن پوست و ماساژ مناسب است.",
        tags="روغن بادام|مراقبت پوست|طبیعی", materials="روغن بادام شیرین", weight_g=130,
        photo=("bottle", (AMBER, LEAF)), photos=2, stock=15,
    ),
    DemoProduct(
        7, "روغن موی سیاه‌دانه و رزماری", "natural-care", 290_000,
        "روغن مو با سیاه‌دانه، رزماری و روغن نارگیل برای تقویت ریشه. یک ساعت پیش از حمام روی پوست سر ماساژ "
        "دهید.",
        tags="روغن مو|سیاه‌دانه|رزماری|طبیعی", materials="روغن سیاه‌دانه، رزماری، روغن نارگیل", weight_g=150,
        photo=("bottle", ("#3a4a2a", AMBER)), photos=1, stock=12,
    ),
    DemoProduct(
        7, "کرم دست موم زنبور و کره شی", "natural-care", 310_000,
        "کرم دست غلیظ با موم زنبور، کره شی و روغن زیتون. برای دست‌های خشک زمستان ساخته شده است.",
        tags="کرم دست|موم زنبور|طبیعی", materials="موم زنبور، کره شی، روغن زیتون", weight_g=90,
        photo=("bottle", ("#d9a85a", SAFFRON)), photos=2, stock=10, state="in_review",
    ),
    DemoProduct(
        7, "بستهٔ هدیهٔ صابون و روغن", "beauty-care", 620_000,
        "سه صابون دست‌ساز و یک شیشه روغن بادام در جعبهٔ هدیه با روبان. برای هدیهٔ تولد و روز مادر.",
        tags="هدیه|صابون|روغن|جعبه", materials="صابون دست‌ساز، روغن بادام", weight_g=550,
        photo=("giftbox", ("#6b8e6b", ROSE, "#c9d7a5", "#efe3c6", AMBER)), photos=1,
    ),
    # ---------------------------------------------------------------- 8 سوزن‌دوزی کبری
    DemoProduct(
        8, "سرآستین سوزن‌دوزی بلوچ", "needlework", 1_600_000,
        "یک جفت سرآستین سوزن‌دوزی بلوچ با نخ ابریشم روی پارچهٔ مشکی. برای دوخت روی لباس محلی یا مانتو.",
        tags="سوزن‌دوزی|بلوچ|سرآستین|سنتی", materials="پارچهٔ نخی، نخ ابریشم", weight_g=80,
        photo=("baluch", (RED, SAFFRON, GREEN)), photos=3, stock=3,
    ),
    DemoProduct(
        8, "کیف پول چرمی با سوزن‌دوزی", "leather", 780_000,
        "کیف پول چرم طبیعی با یک قاب سوزن‌دوزی بلوچ روی درب. جای کارت و اسکناس دارد.",
        tags="کیف پول|چرم|سوزن‌دوزی", materials="چرم گاوی، پارچهٔ سوزن‌دوزی", weight_g=150,
        photo=("wallet", (BROWN, SAFFRON)), photos=1, stock=5,
    ),
    DemoProduct(
        8, "گردنبند سوزن‌دوزی بلوچ", "jewelry", 450_000,
        "گردنبند با آویز سوزن‌دوزی‌شدهٔ کوچک و مهره‌های رنگی. سبک است و با لباس ساده زیبا می‌نشیند.",
        tags="گردنبند|سوزن‌دوزی|زیورآلات", materials="پارچهٔ سوزن‌دوزی، مهره، نخ ابریشم", weight_g=40,
        photo=("necklace", (RED, SAFFRON, NAVY)), photos=2, stock=9,
    ),
    DemoProduct(
        8, "دستبند مهره و سوزن‌دوزی", "jewelry", 260_000,
        "دستبند پهن با نوار سوزن‌دوزی و مهره‌های ریز. بند آن قابل تنظیم است.",
        tags="دستبند|سوزن‌دوزی|مهره", materials="پارچهٔ سوزن‌دوزی، مهره", weight_g=25,
        photo=("necklace", (GREEN, RED, SAFFRON)), photos=1, stock=12,
    ),
    DemoProduct(
        8, "پیراهن بلوچ با سوزن‌دوزی جلو", "clothing", 6_800_000,
        "پیراهن بلند بلوچ با سوزن‌دوزی کامل روی سینه و سرآستین. سوزن‌دوزی جلوی پیراهن نزدیک دو ماه کار دست "
        "است و پس از سفارش انجام می‌شود.",
        tags="پیراهن|بلوچ|سوزن‌دوزی|لباس محلی", materials="پارچهٔ نخی، نخ ابریشم", weight_g=700,
        photo=("garment", (BLACK_CLOTH, RED, SAFFRON)), photos=2, stock=0, lead_days=60,
    ),
    DemoProduct(
        8, "بستهٔ هدیهٔ سوزن‌دوزی", "handicrafts", 1_150_000,
        "یک گردنبند، یک دستبند و یک جاکارتی سوزن‌دوزی در جعبهٔ هدیه. معرفی کوتاهی از سوزن‌دوزی بلوچ هم "
        "همراهش است.",
        tags="هدیه|سوزن‌دوزی|صنایع دستی", materials="پارچهٔ سوزن‌دوزی، مهره، چرم", weight_g=300,
        photo=("giftbox", (BLACK_CLOTH, RED, SAFFRON, GREEN)), photos=1, stock=4,
    ),
    # ---------------------------------------------------------------- 9 بافتنی طاهره
    DemoProduct(
        9, "شال گردن بافتنی راه‌راه", "scarves", 1_200_000,
        "شال گردن بلند و گرم با کاموای مرغوب و راه‌های رنگی. نرم است و گردن را نمی‌خاراند.",
        tags="شال|بافتنی|زمستانی", materials="کاموای اکریلیک و پشم", weight_g=300, photo=("knit", (RED, CREAM, NAVY)),
        photos=3, stock=5,
        option=("رنگ", (("قرمز و سرمه‌ای", 3, 0), ("سبز و کرم", 2, 0))),
    ),
    DemoProduct(
        9, "کلاه بافتنی منگوله‌دار", "knitting", 420_000,
        "کلاه بافتنی با منگولهٔ بزرگ و لبهٔ برگردان. در چند رنگ برای بزرگسال و کودک بافته می‌شود.",
        tags="کلاه|بافتنی|زمستانی", materials="کاموای پشمی", weight_g=120, photo=("knit_hat", (NAVY, CREAM)), photos=1,
        stock=0, lead_days=5,
        option=("سایز", (("کودک", 0, 0), ("بزرگسال", 0, 40_000))),
    ),
    DemoProduct(
        9, "جوراب پشمی دستباف", "knitting", 350_000,
        "جوراب ضخیم پشمی برای خانه و کوه. پاشنه و پنجه دولا بافته شده تا زود سوراخ نشود.",
        tags="جوراب|پشمی|بافتنی", materials="پشم گوسفند", weight_g=150, photo=("knit_socks", ("#6b8e23", CREAM)),
        photos=2, stock=8,
        option=("سایز", (("۳۶ تا ۳۸", 4, 0), ("۳۹ تا ۴۱", 4, 0), ("۴۲ تا ۴۴", 0, 0))),
    ),
    DemoProduct(
        9, "ژاکت بافتنی کودک", "knitting", 1_350_000,
        "ژاکت دکمه‌دار برای کودک دو تا چهار ساله با کاموای نرم ضدحساسیت. رنگ و سایز را هنگام سفارش بگویید.",
        tags="ژاکت|کودک|بافتنی", materials="کاموای ضدحساسیت، دکمهٔ چوبی", weight_g=250,
        photo=("knit", (SAFFRON, CREAM, GREEN)), photos=1, stock=0, lead_days=10,
    ),
    DemoProduct(
        9, "پتوی نوزاد بافتنی", "knitting", 2_100_000,
        "پتوی کوچک نوزاد با طرح لوزی برجسته، نرم و گرم. برای سیسمونی هدیهٔ ماندگاری است.",
        tags="پتو|نوزاد|بافتنی|سیسمونی", materials="کاموای ضدحساسیت", weight_g=600,
        photo=("knit", (CREAM, "#a8c8e0", CREAM)), photos=1, stock=2, state="draft",
    ),
    DemoProduct(
        9, "عروسک بافتنی دختر خراسانی", "decor", 480_000,
        "عروسک بافتنی با لباس محلی و روسری گلدار، پرشده با الیاف ضدحساسیت. برای اتاق کودک و هدیه.",
        tags="عروسک|بافتنی|هدیه|کودک", materials="کاموا، الیاف پلی‌استر", weight_g=150,
        photo=("doll", (RED, SAFFRON, NAVY)), photos=1,
    ),
    DemoProduct(
        9, "ست شال و کلاه زمستانی", "clothing-textiles", 1_500_000,
        "شال و کلاه هم‌رنگ با بافت برجسته در یک بسته. هدیهٔ گرمی برای شب یلدا است.",
        tags="ست|شال|کلاه|بافتنی", materials="کاموای پشمی", weight_g=420, photo=("knit", (PLUM, CREAM)), photos=2,
        stock=3,
    ),
    # ---------------------------------------------------------------- 10 لباس محلی نرگس (shop waiting for review)
    DemoProduct(
        10, "پیراهن محلی خراسانی", "clothing", 3_500_000,
        "پیراهن بلند محلی با دامن چین‌دار و یقهٔ دوخت‌دار، از پارچهٔ نخی خوش‌رنگ. برای جشن‌ها و عکاسی مناسب "
        "است.",
        tags="لباس محلی|خراسان|پیراهن", materials="پارچهٔ نخی، نوار تزئینی", weight_g=800,
        photo=("garment", (CRIMSON, SAFFRON, GREEN)), photos=3, stock=0, lead_days=21, state="in_review",
    ),
    DemoProduct(
        10, "جلیقهٔ محلی دخترانه", "clothing", 1_200_000,
        "جلیقهٔ مخمل با نوار دوزی طلایی برای دختران شش تا ده ساله. "
        "آستر نخی دارد و روی پیراهن محلی یا بلوز ساده پوشیده می‌شود.",
        tags="جلیقه|لباس محلی|کودک", materials="مخمل، نوار طلایی", weight_g=250,
        photo=("garment", (GREEN, SAFFRON, CRIMSON)), photos=2, stock=3, state="in_review",
    ),
    DemoProduct(
        10, "چارقد گلدار محلی", "scarves", 600_000,
        "چارقد بزرگ نخی با گل‌های ریز و لبهٔ منگوله‌دار، همراه لباس محلی. منگوله‌ها را یکی‌یکی با دست می‌دوزم.",
        tags="چارقد|روسری|لباس محلی", materials="پارچهٔ نخی", weight_g=150, photo=("scarf", (SAFFRON, RED, GREEN)),
        photos=1, state="draft",
    ),
    # ---------------------------------------------------------------- 11 چرم حمیده (shop still a draft)
    DemoProduct(
        11, "کیف دوشی چرم دست‌دوز", "leather", 2_800_000,
        "کیف دوشی از چرم گاوی طبیعی با دوخت دست و نخ موم‌زده. بند آن قابل تنظیم است و یک جیب داخلی دارد.",
        tags="کیف|چرم|دست‌دوز", materials="چرم گاوی، نخ موم‌زده", weight_g=650, photo=("bag", (BROWN, "#e0c080")),
        photos=1, stock=0, lead_days=10, state="draft",
    ),
    DemoProduct(
        11, "کیف پول مردانهٔ چرمی", "leather", 890_000,
        "کیف پول کتابی با شش جای کارت، دوخته‌شده با دست. چرمش با گذر زمان خوش‌رنگ‌تر می‌شود.",
        tags="کیف پول|چرم|مردانه", materials="چرم گاوی", weight_g=110, photo=("wallet", ("#3a2418", "#e0c080")),
        photos=1, state="draft",
    ),
    DemoProduct(
        11, "کمربند چرمی دست‌دوز", "leather", 950_000,
        "کمربند چرم ضخیم با سگک برنجی و دوخت دو طرف. اندازه را هنگام سفارش بنویسید.",
        tags="کمربند|چرم|دست‌دوز", materials="چرم گاوی، سگک برنجی", weight_g=300,
        photo=("belt", ("#3a2418", "#e0c080")), photos=1, stock=4, state="draft",
    ),
    DemoProduct(
        11, "سینی چوبی با دستهٔ چرمی", "woodwork", 1_300_000,
        "سینی چوب گردو با دو دستهٔ چرمی دوخته‌شده. برای سرو چای و صبحانه.",
        tags="سینی|چوب|چرم", materials="چوب گردو، چرم", weight_g=1100, photo=("wood", ("#7a4a2a", "#e0c080")),
        photos=1, stock=3, state="draft",
    ),
    DemoProduct(
        11, "دستبند چرمی بافته", "jewelry", 220_000,
        "دستبند بافته از نوار چرم با قفل مغناطیسی. برای خانم‌ها و آقایان.",
        tags="دستبند|چرم|زیورآلات", materials="چرم، قفل مغناطیسی", weight_g=20,
        photo=("necklace", (BROWN, TAN, "#3a2418")), photos=1, stock=10, state="draft",
    ),
    # ---------------------------------------------------------------- added later, at the end so the
    # photos of the products above (their seed is their index) stay as they were. No English title:
    # buyers searching in English find them through the search lexicon.
    DemoProduct(
        6, "گلاب دوآتشه سنتی", "dried-herbs", 240_000,
        "گلاب دوآتشه از گل محمدی باغ‌های خودمان که در دیگ مسی به روش قدیم تقطیر می‌شود. برای شربت، شیرینی و "
        "شله‌زرد عطر ماندگاری دارد. در شیشهٔ یک‌لیتری دربسته.",
        tags="گلاب|گل محمدی|دوآتشه|سنتی", materials="گل محمدی، آب", weight_g=1100,
        photo=("bottle", (ROSE, "#c9607a")), photos=2, stock=14,
    ),
    DemoProduct(
        3, "عسل طبیعی کوهی", "home-food", 950_000,
        "عسل کوهی از کندوهای برادرم در ارتفاعات بینالود، بی‌شکر و بی‌حرارت. رنگ تیره و طعم گل‌های کوهی دارد و "
        "در سرما شکرک می‌زند که نشانهٔ طبیعی بودن است.",
        tags="عسل|عسل طبیعی|کوهی|بینالود", materials="عسل", weight_g=1000,
        photo=("jar", (AMBER, SAFFRON)), photos=2, stock=10,
    ),
]
# fmt: on

# English titles and short descriptions for about a third of the products (Persian title → (title,
# description)), as a producer or the centre would write them for buyers abroad.
ENGLISH = {
    "روسری نخی با گلدوزی بته‌جقه": (
        "Hand-Embroidered Paisley Cotton Headscarf",
        "A light cotton scarf with paisley (boteh) motifs stitched by hand in silk thread on each corner, "
        "the same pattern my mother sewed on her bundle cloths. Wash in cold water.",
    ),
    "رومیزی گلدوزی گل و مرغ": ("Bird and Flower Embroidered Linen Tablecloth, 140 cm", ""),
    "تابلو گلدوزی گل‌های بهاری": (
        "Spring Flowers Embroidery, Framed Wall Art",
        "My own design, stitched with more than ten colours of silk thread and set in a plain wooden frame. "
        "Made to order; tell me if you would like other colours.",
    ),
    "جلد دفترچهٔ چرمی با گلدوزی": ("Leather A5 Notebook Cover with Embroidered Panel", ""),
    "ترشی لیتهٔ خانگی": ("Homemade Persian Eggplant Pickle (Liteh)", ""),
    "سیر ترشی هفت‌ساله": (
        "Seven-Year Aged Garlic Pickle",
        "Whole garlic heads aged for seven years in grape vinegar until they turn dark, soft and sweet. "
        "A classic of the Persian table.",
    ),
    "گلیم دستباف یک‌ونیم متری": (
        "Handwoven Wool Kilim Rug, 150 cm",
        "Woven on my loom in Seyyedi from hand-spun wool dyed with madder and indigo. Flat, reversible "
        "and tough enough for everyday floors.",
    ),
    "گبهٔ کوچک کنار تخت": ("Small Gabbeh Bedside Rug, Natural Dyes", ""),
    "کوسن گلیمی": ("Kilim Cushion Cover, Wool and Linen", ""),
    "مربای به با هل": ("Quince Jam with Cardamom and Rosewater", ""),
    "مربای آلبالو": ("Sour Cherry Jam", ""),
    "رب انار ملس": (
        "Sweet-Sour Pomegranate Molasses",
        "Nothing but pomegranates, slowly cooked down at home. Great in fesenjan, salad dressings and marinades.",
    ),
    "جعبهٔ هدیهٔ چهار مربا": ("Persian Jam Gift Box, Four Flavours", ""),
    "بشقاب سفالی لعاب فیروزه‌ای": ("Turquoise Glazed Pottery Plate", ""),
    "ماگ سفالی دست‌ساز": (
        "Handmade Ceramic Mug, Lead-Free Glaze",
        "Thrown on the wheel and glazed in small batches, so no two are quite alike. Safe for hot drinks "
        "and the dishwasher.",
    ),
    "آویز سفالی چشم‌نظر": ("Ceramic Evil Eye Wall Hanging", ""),
    "شیرینی نخودچی با هل": ("Chickpea Flour Cookies with Cardamom (Nan-e Nokhodchi)", ""),
    "نان برنجی کرمانشاهی": ("Kermanshah Rice Flour Cookies with Poppy Seeds", ""),
    "دمنوش گل‌گاوزبان و لیمو": (
        "Borage Flower and Dried Lime Herbal Tea",
        "Dried borage flowers with dried lime and a little orange blossom: a calming evening tea with a "
        "lovely purple colour.",
    ),
    "زعفران سرگل قائنات": (
        "Qaenat Saffron, Premium Sargol Threads (1 mesghal)",
        "From our family farm in Qaenat, 4.6 g of pure sargol threads in a sealed pack. Strong colour and aroma.",
    ),
    "صابون روغن زیتون": ("Cold-Process Olive Oil Soap", ""),
    "صابون گل سرخ": ("Damask Rose Soap with Sweet Almond Oil", ""),
    "روغن بادام شیرین خالص": ("Pure Cold-Pressed Sweet Almond Oil", ""),
    "سرآستین سوزن‌دوزی بلوچ": (
        "Balochi Needlework Cuffs, Silk on Black Cotton",
        "A pair of hand-stitched Balochi cuffs, ready to sew onto a dress or a coat.",
    ),
    "گردنبند سوزن‌دوزی بلوچ": ("Balochi Embroidered Pendant Necklace", ""),
    "شال گردن بافتنی راه‌راه": ("Hand-Knitted Striped Scarf", ""),
    "جوراب پشمی دستباف": ("Hand-Knitted Wool Socks", ""),
}

# Registration progress per shop (index into data.SHOPS): item code → verified, expiring (verified,
# ends within 30 days), submitted or waived. "health" is the product's own health licence (FD-1 for
# food, FD-2 for cosmetics) and LB-1 its label; they are set on published products, and products
# waiting for review have their health licence sent and waiting for the centre's check.
CHECKLISTS = {
    0: {"HB-1": "verified"},
    1: {"HB-1": "verified", "health": "verified", "LB-1": "verified"},
    2: {"HB-1": "submitted"},
    3: {"HB-1": "verified", "health": "verified", "LB-1": "waived"},
    5: {"HB-1": "expiring", "health": "verified", "LB-1": "waived"},
    6: {"HB-1": "waived", "health": "waived", "LB-1": "waived"},
    7: {"HB-1": "verified", "health": "verified", "LB-1": "verified"},
}
WAIVER_REASONS = {
    "HB-1": "ثبت‌نام در سامانهٔ مشاغل خانگی در جریان است؛ مرکز تا پایان آن موقتاً معاف کرد.",
    "health": "محصول کم‌خطر است و در طرح حمایتی مرکز با نظارت کارشناس بهداشت تولید می‌شود.",
    "LB-1": "برچسب چاپی استاندارد مرکز روی بسته‌ها زده می‌شود.",
}
