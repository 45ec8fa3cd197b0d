// A job's page (templates/jobs/job.html): ask for its state every second, move the progress bar and the words,
// and load the page again once the job has finished (it then shows the file's link or the page it made).
// Without JavaScript the page reloads itself instead (its <noscript> refresh).
(function () {
  'use strict'
  var box = document.querySelector('[data-job-progress]')
  if (!box || !window.fetch) return
  var message = box.querySelector('[data-job-progress-message]')
  var bar = box.querySelector('progress')
  var url = box.getAttribute('data-status-url')

  function ask () {
    window.fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status))
        return response.json()
      })
      .then(function (status) {
        if (status.finished) {
          window.location.assign(status.page)
          return
        }
        if (message && status.progress && message.textContent !== status.progress) message.textContent = status.progress
        if (bar) {
          bar.value = status.percent
          bar.textContent = status.percent + '%'
        }
        window.setTimeout(ask, 1000)
      })
      .catch(function () {
        window.setTimeout(ask, 3000)
      })
  }
  window.setTimeout(ask, 1000)
})()
