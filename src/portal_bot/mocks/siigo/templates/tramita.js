const BASE = "/certificado-digital/tramita-tu-certificado";
const MAX_BYTES = 1024 * 1024;
const form = document.getElementById("datos");
const representative = document.getElementById("representante");
const letterStatus = document.getElementById("mensaje-carta");

form.addEventListener("change", (event) => {
  if (event.target.name === "tipo_persona") {
    representative.disabled = event.target.value !== "Jurídica";
  }
});

function showErrors(errors) {
  for (const box of form.querySelectorAll(".field-error")) {
    const name = box.id.replace("error-", "");
    const controls = form.querySelectorAll(`[name="${name}"]`);
    const message = errors[name] || "";
    box.textContent = message;
    box.hidden = !message;
    for (const control of controls) {
      if (message) {
        control.setAttribute("aria-invalid", "true");
        control.setAttribute("aria-describedby", box.id);
      } else {
        control.removeAttribute("aria-invalid");
        control.removeAttribute("aria-describedby");
      }
    }
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  letterStatus.textContent = "";
  const body = new URLSearchParams(new FormData(form));
  const response = await fetch(BASE + "/representante", {method: "POST", body});
  const answer = await response.json();
  if (response.status === 422) {
    showErrors(answer.errores);
    const first = form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
    return;
  }
  showErrors({});
  if (!response.ok) {
    letterStatus.textContent = answer.error;
    return;
  }
  letterStatus.textContent = "Datos del representante legal guardados. Se descargó la carta de exoneración.";
  const link = document.createElement("a");
  link.href = answer.carta;
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
});

const picker = document.getElementById("archivo-carta");
const attachMessage = document.getElementById("mensaje-adjunto");
const attached = document.getElementById("adjunto");
const attachedName = document.getElementById("nombre-adjunto");
const proceed = document.getElementById("continuar");

function setAttached(name) {
  attached.hidden = !name;
  attachedName.textContent = name || "";
  proceed.disabled = !name;
}

document.getElementById("adjuntar").addEventListener("click", () => picker.click());

async function refusal(file) {
  if (file.size > MAX_BYTES) return "El archivo supera el tamaño máximo permitido de 1 MB.";
  const head = new Uint8Array(await file.slice(0, 5).arrayBuffer());
  if (String.fromCharCode(...head) !== "%PDF-") return "El archivo debe ser un documento PDF.";
  return "";
}

picker.addEventListener("change", async () => {
  const file = picker.files[0];
  picker.value = "";
  if (!file) return;
  attachMessage.textContent = "";
  const problem = await refusal(file);
  if (problem) {
    attachMessage.textContent = problem;
    return;
  }
  const body = new FormData();
  body.append("carta", file, file.name);
  const response = await fetch(BASE + "/adjunto", {method: "POST", body});
  const answer = await response.json();
  if (!response.ok) {
    attachMessage.textContent = answer.error;
    return;
  }
  setAttached(answer.nombre);
});

document.getElementById("eliminar").addEventListener("click", async () => {
  const response = await fetch(BASE + "/adjunto/eliminar", {method: "POST"});
  if (response.ok) setAttached("");
});
