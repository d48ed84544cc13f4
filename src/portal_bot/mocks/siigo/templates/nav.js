// Buttons that navigate (data-href) or open the plataforma tecnológica (data-popup).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-href], button[data-popup]");
  if (!button) return;
  if (button.dataset.popup) {
    window.open(button.dataset.popup, "_blank");
  } else {
    window.location.assign(button.dataset.href);
  }
});
