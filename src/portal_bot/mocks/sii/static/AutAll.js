/* Login checks of the SII mock, after the real AutAll.js: the RUT is split into
   #rut and #dv, the check digit is verified (module 11), and problems are shown in
   #alert_placeholder without reaching the server. */
(function () {
  "use strict";
  var form = document.getElementById("myform");

  function alerta(message) {
    var box = document.getElementById("alert_placeholder");
    box.innerHTML = "";
    var div = document.createElement("div");
    div.className = "alert alert-warning";
    div.setAttribute("role", "alert");
    div.textContent = message;
    box.appendChild(div);
    return false;
  }

  function digitoVerificador(body) {
    var sum = 0, weight = 2;
    for (var i = body.length - 1; i >= 0; i--) {
      sum += parseInt(body.charAt(i), 10) * weight;
      weight = weight === 7 ? 2 : weight + 1;
    }
    var rest = 11 - (sum % 11);
    return rest === 11 ? "0" : rest === 10 ? "K" : String(rest);
  }

  function asignaReferencia() {
    var ref = document.getElementById("referencia");
    if (!ref.value) {
      ref.value = window.location.search ? window.location.search.substring(1) : "http://www.sii.cl";
    }
  }

  function ejecutaOpcion() {
    var raw = document.getElementById("rutcntr").value.replace(/[.\-\s]/g, "").toUpperCase();
    var clave = document.getElementById("clave").value;
    if (!raw || !clave) { return alerta("Por favor, ingrese rut y clave."); }
    if (!/^[0-9]+[0-9K]$/.test(raw)) { return alerta("El RUT ingresado no es valido"); }
    if (raw.length < 8) { return alerta("Debe ingresar el rut completo"); }
    var body = raw.slice(0, -1), dv = raw.slice(-1);
    if (digitoVerificador(body) !== dv) { return alerta("Dígito Verificador erróneo"); }
    document.getElementById("rut").value = body;
    document.getElementById("dv").value = dv;
    asignaReferencia();
    document.getElementById("bt_ingresar").disabled = true;
    return true;
  }

  form.addEventListener("submit", function (event) {
    if (!ejecutaOpcion()) { event.preventDefault(); }
  });
})();
