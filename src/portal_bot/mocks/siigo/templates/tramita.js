const BASE = "/certificado-digital/tramita-tu-certificado";
const MAX_BYTES = 1024 * 1024;
const form = document.getElementById("datos");
const representative = document.querySelector("[data-representative]");

// The representative's fields are for a "Jurídica" person only.
function setRepresentativeEnabled(on) {
  for (const control of siigo.deepAll(representative, "[data-field]")) control.disabled = !on;
}
const chosenType = () => siigo.values(form).get("tipo_persona");
setRepresentativeEnabled(chosenType() === "Jurídica");
form.addEventListener("change", (event) => {
  if (event.target.name === "tipo_persona") setRepresentativeEnabled(chosenType() === "Jurídica");
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const response = await fetch(BASE + "/representante", {method: "POST", body: siigo.values(form)});
  const answer = await response.json();
  if (response.status === 422) {
    siigo.showErrors(form, answer.errores);
    const first = siigo.deepAll(form, '[aria-invalid="true"]')[0];
    if (first) first.focus();
    return;
  }
  siigo.showErrors(form, {});
  if (!response.ok) {
    siigo.toast("error", answer.error);
    return;
  }
  siigo.toast("success", "Datos del representante legal guardados. Se descargó la carta de exoneración.");
  const link = document.createElement("a");
  link.href = answer.carta;
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
});

const picker = document.getElementById("archivo-carta");
const attached = document.getElementById("adjunto");
const attachedName = document.getElementById("nombre-adjunto");
const proceed = document.getElementById("continuar");

function setAttached(name) {
  attached.hidden = !name;
  attachedName.textContent = name || "";
  siigo.setEnabled(proceed, Boolean(name));
}

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
  const problem = await refusal(file);
  if (problem) {
    siigo.toast("error", problem);
    return;
  }
  siigo.busy(true);
  const body = new FormData();
  body.append("carta", file, file.name);
  let response = null;
  let answer = {};
  try {
    response = await fetch(BASE + "/adjunto", {method: "POST", body});
    answer = await response.json();
  } catch (e) {
    response = null;
  }
  // The portal takes a moment to show the attachment, under its spinner.
  setTimeout(() => {
    siigo.busy(false);
    if (!response) siigo.toast("error", "No fue posible adjuntar el documento. Intenta nuevamente.");
    else if (!response.ok) siigo.toast("error", answer.error);
    else {
      setAttached(answer.nombre);
      siigo.toast("success", "Documento adjuntado correctamente.");
    }
  }, 800);
});

document.addEventListener("click", async (event) => {
  const remove = event.target.closest("#eliminar");
  if (!remove) return;
  event.preventDefault();
  const response = await fetch(BASE + "/adjunto/eliminar", {method: "POST"});
  if (response.ok) setAttached("");
});
