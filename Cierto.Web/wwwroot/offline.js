// The offline page's "Try again" (a file: the content policy allows no inline handler).
document.getElementById('retry')?.addEventListener('click', () => location.reload());
