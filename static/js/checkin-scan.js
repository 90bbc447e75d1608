// Fair check-in (booths helper): read the pass's QR code with the camera where the browser has
// BarcodeDetector. Progressive enhancement: without it (or without a camera) the page is a plain
// form, and a phone's barcode-scanner keyboard types the code into the field as well.
const box = document.querySelector(".checkin-camera");
const input = document.querySelector(".checkin-input");
if (box && input && "BarcodeDetector" in window && navigator.mediaDevices?.getUserMedia) {
  const formats = await window.BarcodeDetector.getSupportedFormats().catch(() => []);
  if (formats.includes("qr_code")) {
    const video = box.querySelector("video");
    const status = box.querySelector("[data-scan-status]");
    const start = box.querySelector("[data-scan-start]");
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    box.hidden = false;
    start.addEventListener("click", async () => {
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      } catch {
        status.textContent = start.dataset.denied || "";
        return;
      }
      video.srcObject = stream;
      video.hidden = false;
      start.hidden = true;
      await video.play();
      const look = async () => {
        const codes = await detector.detect(video).catch(() => []);
        if (codes.length) {
          stream.getTracks().forEach((track) => track.stop());
          input.value = codes[0].rawValue;
          input.form.requestSubmit();
          return;
        }
        setTimeout(look, 250);
      };
      look();
    });
  }
}
