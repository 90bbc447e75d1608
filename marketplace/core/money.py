"""Money: amounts are integer rial everywhere; people read and type toman (1 toman = 10 rial)."""

from .persian import MAX_DIGITS, format_number, is_digits, to_latin_digits

RIAL_PER_TOMAN = 10


def toman_to_rial(toman: int) -> int:
    """Convert a whole toman amount typed in a form to the rial integer that is stored."""
    return int(toman) * RIAL_PER_TOMAN


def parse_toman(text: str) -> int | None:
    """Read a toman amount typed in any digits and separators («۱۲۰٬۰۰۰», "120,000"); None if not a whole number."""
    cleaned = to_latin_digits(text or "").replace(",", "").replace("\u066c", "").replace("٫", "")
    cleaned = cleaned.replace(" ", "").replace("\u200c", "")
    if not is_digits(cleaned):
        return None
    if len(cleaned) > MAX_DIGITS:
        # Longer than any amount: a number every range check refuses ("too high"), without turning
        # thousands of digits into an int (slow, and refused by Python above 4,300 digits).
        return 10**18
    return int(cleaned)


def format_toman(rial: int | None, *, persian: bool = True) -> str:
    """Show an integer rial amount as toman: 1200000 → «۱۲۰٬۰۰۰ تومان» (or "120,000 toman")."""
    if rial is None:
        return ""
    toman = int(rial) // RIAL_PER_TOMAN
    unit = "تومان" if persian else "toman"
    return f"{format_number(toman, persian=persian)} {unit}"
