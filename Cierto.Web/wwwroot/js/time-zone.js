// Company registration: preselects the browser's own time zone unless the form came back with a choice.
(() => {
    const select = document.getElementById('time-zone');
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (select && select.dataset.chosen !== 'true' && zone && [...select.options].some(o => o.value === zone)) {
        select.value = zone;
    }
})();
