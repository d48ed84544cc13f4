// Shared by every page: navigation hooks, the busy sign, toasts, dialogs, Siigo's
// dropdowns, and form values found through shadow roots. It never asks which markup
// dialect is shown: every dialect carries the same data-* hooks (see _widgets.html).
const siigo = (() => {
  const deepAll = (root, selector) => {
    const found = [...root.querySelectorAll(selector)];
    for (const element of root.querySelectorAll("*")) {
      if (element.shadowRoot) found.push(...deepAll(element.shadowRoot, selector));
    }
    return found;
  };
  const busy = (on) => {
    const sign = document.querySelector("[data-spinner]");
    if (sign) sign.hidden = !on;
    document.body.setAttribute("aria-busy", String(on));
  };
  const toast = (level, text) => {
    const template = document.querySelector(`template[data-toast="${level}"]`);
    const box = document.querySelector("[data-toasts]");
    const node = template.content.firstElementChild.cloneNode(true);
    const slot = node.matches("[data-toast-text]") ? node : node.querySelector("[data-toast-text]");
    slot.textContent = text;
    box.append(node);
    setTimeout(() => node.remove(), 10000);
  };
  const openDialog = (element) => {
    if (element.showModal) element.showModal();
    else element.hidden = false;
  };
  const isDisabled = (element) =>
    element.disabled === true || element.getAttribute("aria-disabled") === "true";
  const setEnabled = (element, on) => {
    if (element.tagName === "BUTTON") element.disabled = !on;
    else if (on) element.removeAttribute("aria-disabled");
    else element.setAttribute("aria-disabled", "true");
  };
  const valueOf = (control) =>
    control.getAttribute("role") === "combobox" ? control.dataset.value : control.value;
  const values = (root) => {
    const body = new URLSearchParams();
    for (const control of deepAll(root, "[data-field]")) {
      if (control.type === "radio" && !control.checked) continue;
      if (control.disabled) continue;
      body.append(control.dataset.field, valueOf(control) || "");
    }
    return body;
  };
  const showErrors = (root, errors) => {
    for (const box of deepAll(root, "[data-error-for]")) {
      const name = box.dataset.errorFor;
      const message = errors[name] || "";
      box.textContent = message;
      box.hidden = !message;
      for (const control of deepAll(root, `[data-field="${name}"]`)) {
        if (message) {
          control.setAttribute("aria-invalid", "true");
          if (control.getRootNode() === box.getRootNode()) {
            control.setAttribute("aria-describedby", box.id);
          }
        } else {
          control.removeAttribute("aria-invalid");
          control.removeAttribute("aria-describedby");
        }
      }
    }
  };
  const choose = (option) => {
    const list = option.closest('[role="listbox"]');
    const combo = document.querySelector(`[aria-controls="${list.id}"]`);
    for (const other of list.querySelectorAll('[role="option"]')) {
      other.setAttribute("aria-selected", String(other === option));
    }
    combo.dataset.value = option.dataset.value;
    combo.textContent = option.textContent;
    const hidden = combo.parentElement.querySelector('input[type="hidden"]');
    if (hidden) hidden.value = option.dataset.value;
    list.hidden = true;
    combo.setAttribute("aria-expanded", "false");
    combo.dispatchEvent(new Event("change", {bubbles: true}));
  };

  document.addEventListener("click", (event) => {
    const group = event.target.closest("[data-menu-group]");
    if (group) {
      const open = group.getAttribute("aria-expanded") !== "true";
      group.setAttribute("aria-expanded", String(open));
      document.getElementById(group.dataset.menuGroup).hidden = !open;
      return;
    }
    const combo = event.target.closest('[role="combobox"]');
    if (combo) {
      const list = document.getElementById(combo.getAttribute("aria-controls"));
      list.hidden = !list.hidden;
      combo.setAttribute("aria-expanded", String(!list.hidden));
      return;
    }
    const pick = event.target.closest("[data-pick]");
    if (pick) {
      document.getElementById(pick.dataset.pick).click();
      return;
    }
    const option = event.target.closest('[role="option"]');
    if (option) {
      choose(option);
      return;
    }
    const target = event.target.closest("[data-href], [data-popup], [data-submit]");
    if (!target) return;
    event.preventDefault();
    if (isDisabled(target)) return;
    if (target.dataset.popup) {
      window.open(target.dataset.popup, "_blank");
    } else if (target.dataset.submit) {
      target.closest("form").requestSubmit();
    } else {
      busy(true);
      setTimeout(() => window.location.assign(target.dataset.href), 250);
    }
  });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target.matches &&
        target.matches('[role="button"], [role="menuitem"], [role="combobox"], [role="option"]')) {
      event.preventDefault();
      target.click();
    }
  });
  // The app "boots" behind its overlay for a moment (only where the overlay shows on load).
  if (document.querySelector("[data-spinner][data-on-load]")) setTimeout(() => busy(false), 400);

  return {deepAll, busy, toast, openDialog, isDisabled, setEnabled, values, showErrors};
})();
