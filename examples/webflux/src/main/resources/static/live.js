// The live page of the WebFlux example: plain JavaScript, no build step, no library.
'use strict';

const $ = (id) => document.getElementById(id);
const values = new Map(); // the namespace, in insertion order, as the server has it

/** Redraws the table; the keys of the last change are highlighted. */
function render(changed) {
  const rows = $('state-rows');
  rows.replaceChildren();
  for (const [key, value] of values) {
    const row = document.createElement('tr');
    row.dataset.key = key;
    if (changed.has(key)) row.className = 'changed';
    const k = document.createElement('td');
    k.className = 'key';
    k.textContent = key;
    const v = document.createElement('td');
    v.className = 'value';
    v.textContent = JSON.stringify(value);
    row.append(k, v);
    rows.append(row);
  }
  $('empty').hidden = values.size > 0;
}

/** The SSE change stream: a snapshot first, then one event per change. On a dropped connection
 *  the browser reconnects with Last-Event-ID, and the server resumes after that version. */
function connect() {
  const source = new EventSource('changes');
  source.addEventListener('snapshot', (event) => {
    const view = JSON.parse(event.data);
    values.clear();
    for (const [key, value] of Object.entries(view.values)) values.set(key, value);
    $('namespace').textContent = view.namespace;
    $('version').textContent = view.version;
    render(new Set());
    $('status').textContent = 'live';
  });
  source.addEventListener('change', (event) => {
    const change = JSON.parse(event.data);
    for (const key of change.keys) {
      if (Object.prototype.hasOwnProperty.call(change.after, key)) {
        values.set(key, change.after[key]);
      } else {
        values.delete(key); // removed
      }
    }
    $('version').textContent = change.version;
    render(new Set(change.keys));
    $('status').textContent = 'live';
  });
  source.addEventListener('open', () => { $('status').textContent = 'live'; });
  source.addEventListener('error', () => { $('status').textContent = 'reconnecting'; });
}

/** The problem's detail (RFC 9457), or the status line. */
async function problem(response) {
  try {
    const body = await response.json();
    return body.detail || response.status + ' ' + response.statusText;
  } catch (e) {
    return response.status + ' ' + response.statusText;
  }
}

function show(element, text, error) {
  element.textContent = text;
  element.classList.toggle('error', Boolean(error));
}

$('put-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('put-key').value;
  const response = await fetch('state/' + encodeURIComponent(key), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: $('put-value').value,
  });
  if (response.ok) {
    show($('put-result'), 'stored ' + key);
  } else {
    show($('put-result'), await problem(response), true);
  }
});

$('when-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('when-key').value;
  const equals = $('when-value').value;
  show($('when-result'), 'waiting for ' + key + ' = ' + equals + ' …');
  // A long poll: each request waits up to the server's zproc.web.when-timeout and answers 504
  // when it passes first; then the page asks again, until the value comes.
  const url = 'when/' + encodeURIComponent(key) + '?equals=' + encodeURIComponent(equals);
  let response = await fetch(url);
  while (response.status === 504) {
    response = await fetch(url);
  }
  if (response.ok) {
    const view = await response.json();
    show($('when-result'),
      'fired at version ' + view.version + ': ' + key + ' = ' + JSON.stringify(view.values[key]));
  } else {
    show($('when-result'), await problem(response), true);
  }
});

$('map-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const count = Number($('map-count').value);
  const numbers = Array.from({ length: count }, (_, i) => i + 1);
  const progress = $('map-progress');
  const results = $('map-results');
  progress.max = count;
  progress.value = 0;
  results.replaceChildren();
  show($('map-percent'), '0 %');
  show($('map-status'), 'running');
  $('map-button').disabled = true;
  const started = performance.now();
  try {
    const response = await fetch('squares', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' },
      body: JSON.stringify(numbers),
    });
    if (!response.ok) {
      show($('map-status'), await problem(response), true);
      return;
    }
    // One square per line, in the numbers' order, each as soon as it is done.
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    let done = 0;
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      pending += value;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (line.trim() === '') continue;
        const item = document.createElement('li');
        item.textContent = line.trim();
        results.append(item);
        done++;
      }
      progress.value = done;
      show($('map-percent'), Math.floor((100 * done) / count) + ' %');
    }
    if (pending.trim() !== '') { // a last line without its newline
      const item = document.createElement('li');
      item.textContent = pending.trim();
      results.append(item);
      done++;
      progress.value = done;
      show($('map-percent'), Math.floor((100 * done) / count) + ' %');
    }
    if (done === count) {
      show($('map-status'), 'done: ' + count + ' squares in ' + Math.round(performance.now() - started) + ' ms');
    } else {
      show($('map-status'), 'the stream ended after ' + done + ' of ' + count + ' squares', true);
    }
  } finally {
    $('map-button').disabled = false;
  }
});

connect();
