// A live "in 2 days, 3 hours" beside the next interview. The server writes the
// first value, so the page reads right without this script.
"use strict";

(function () {
  const counters = document.querySelectorAll("[data-countdown]");
  if (!counters.length) return;

  function plural(count, word) {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
  }

  function describe(milliseconds) {
    if (milliseconds <= 0) return "now";
    const minutes = Math.floor(milliseconds / 60000);
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    if (days > 0) return `in ${plural(days, "day")}${hours ? `, ${plural(hours, "hour")}` : ""}`;
    if (hours > 0) return `in ${plural(hours, "hour")}, ${plural(minutes % 60, "minute")}`;
    return `in ${plural(Math.max(minutes, 1), "minute")}`;
  }

  function update() {
    counters.forEach((counter) => {
      counter.textContent = describe(new Date(counter.dataset.countdown) - Date.now());
    });
  }

  update();
  setInterval(update, 30000);
})();
