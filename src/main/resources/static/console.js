'use strict';

// The digits console: plain JS against the service's own HTTP API, nothing loaded from elsewhere.
(() => {
  const $ = (selector) => document.querySelector(selector);

  /** Builds an element; strings become text nodes, so user data (dataset names, ids) is never parsed as HTML. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'className') node.className = value;
      else if (name === 'dataset') Object.assign(node.dataset, value);
      // Through the CSSOM, which a Content-Security-Policy allows even without 'unsafe-inline'.
      else if (name === 'style') node.style.cssText = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const pct = (value, digits = 1) => (value === undefined || value === null || Number.isNaN(value))
    ? '–' : (value * 100).toFixed(digits) + '%';
  const num = (value, digits = 3) => (value === undefined || value === null || Number.isNaN(value))
    ? '–' : Number(value).toFixed(digits);
  const when = (iso) => iso ? new Date(iso).toLocaleString() : '';
  const isFinished = (state) => state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';

  // ---------------------------------------------------------------- API and messages

  const KEY_STORAGE = 'digits.apiKey';
  const apiKeyInput = $('#api-key');
  try {
    apiKeyInput.value = localStorage.getItem(KEY_STORAGE) || '';
  } catch (e) {
    // Storage can be disabled (private mode); the key then lasts as long as the page.
  }

  class ApiError extends Error {
    constructor(problem) {
      super(problem.detail || problem.title);
      this.problem = problem;
    }
  }

  async function problemOf(response) {
    let problem = {};
    try {
      const type = response.headers.get('Content-Type') || '';
      if (type.includes('json')) {
        problem = await response.json();
      } else {
        const text = (await response.text()).trim();
        if (text && !text.startsWith('<')) problem = { detail: text.slice(0, 300) };
      }
    } catch (e) {
      // An unreadable body still leaves the status to report.
    }
    if (typeof problem !== 'object' || problem === null) problem = {};
    problem.status = response.status;
    problem.title = problem.title || response.statusText || 'HTTP ' + response.status;
    if ((response.status === 401 || response.status === 403)) {
      const hint = apiKeyInput.value.trim() ? 'Check the API key at the top right.' : 'Enter the admin API key at the top right.';
      problem.detail = problem.detail ? problem.detail + ' ' + hint : hint;
    }
    return new ApiError(problem);
  }

  /** fetch() with the API key on every request, and problem details turned into an ApiError. */
  async function api(path, options = {}) {
    const headers = new Headers(options.headers || {});
    const key = apiKeyInput.value.trim();
    if (key) headers.set('X-API-Key', key);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
    let response;
    try {
      response = await fetch(path, { ...options, headers });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError({ title: 'Service unreachable', detail: e.message || String(e), status: 0 });
    }
    if (!response.ok) throw await problemOf(response);
    return response;
  }

  async function apiJson(path, options) {
    const response = await api(path, options);
    return response.status === 204 ? null : response.json();
  }

  const message = $('#message');
  let messageTimer = null;

  function showMessage(kind, title, detail = '', errors = []) {
    clearTimeout(messageTimer);
    message.className = 'message ' + kind;
    message.dataset.kind = kind;
    message.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    $('#message-title').textContent = title;
    $('#message-detail').textContent = detail ? ' ' + detail : '';
    $('#message-errors').replaceChildren(...errors.map((e) => el('li', {}, e.field ? `${e.field}: ${e.message}` : String(e.message || e))));
    message.hidden = false;
    if (kind !== 'error') messageTimer = setTimeout(() => { message.hidden = true; }, 6000);
  }

  function showError(error) {
    if (error && error.name === 'AbortError') return;
    if (error instanceof ApiError) {
      const p = error.problem;
      showMessage('error', p.title, p.detail || '', Array.isArray(p.errors) ? p.errors : []);
    } else {
      showMessage('error', 'Something went wrong', error && error.message ? error.message : String(error));
    }
  }

  $('#message-close').addEventListener('click', () => { message.hidden = true; });

  // ---------------------------------------------------------------- views

  const VIEWS = ['predict', 'jobs', 'models'];
  let currentView = null;

  function route() {
    const wanted = location.hash.replace('#', '');
    const view = VIEWS.includes(wanted) ? wanted : 'predict';
    currentView = view;
    for (const section of document.querySelectorAll('section.view')) section.hidden = section.dataset.view !== view;
    for (const tab of document.querySelectorAll('.tabs a')) {
      const active = tab.dataset.view === view;
      tab.classList.toggle('active', active);
      if (active) tab.setAttribute('aria-current', 'page'); else tab.removeAttribute('aria-current');
    }
    if (view === 'jobs') {
      loadJobs();
      loadDatasets();
      redrawCharts();
    } else if (view === 'models') {
      loadModels();
    }
  }

  apiKeyInput.addEventListener('input', () => {
    try {
      localStorage.setItem(KEY_STORAGE, apiKeyInput.value.trim());
    } catch (e) {
      // See above: without storage the key is kept in the input only.
    }
  });
  apiKeyInput.addEventListener('change', () => {
    if (currentView === 'jobs') { loadJobs(); loadDatasets(); }
    if (currentView === 'models') loadModels();
  });

  // ---------------------------------------------------------------- predict: drawing pads

  // About MNIST's stroke width relative to a digit's height once the drawing is fitted into 20×20.
  const STROKE = 20;
  const LIVE_INTERVAL_MS = 150;
  const SUPPORTED_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/bmp'];

  /**
   * A canvas to draw on with mouse, pen or finger, black ink on white. {@code onStart} runs when a
   * stroke begins, before it inks; {@code onDraw} runs at most every LIVE_INTERVAL_MS while a stroke
   * goes on, and at once when it ends.
   */
  function drawingPad(canvas, { onStart, onDraw }) {
    const ctx = canvas.getContext('2d');
    let stroke = null;
    let liveTimer = null;

    const pad = {
      canvas,
      ctx,
      hasInk: false,
      reset() {
        pad.cancelLive();
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.lineCap = 'round';
        ctx.lineJoin = 'round';
        ctx.lineWidth = STROKE;
        ctx.strokeStyle = '#000';
        ctx.fillStyle = '#000';
        pad.hasInk = false;
      },
      cancelLive() {
        clearTimeout(liveTimer);
        liveTimer = null;
      },
      /** The drawing as the PNG the service reads. */
      png() {
        return new Promise((resolve, reject) => {
          canvas.toBlob((blob) => blob ? resolve({ blob, type: 'image/png', source: 'canvas' })
            : reject(new Error('the drawing could not be exported as PNG')), 'image/png');
        });
      },
    };

    function point(event) {
      // The canvas is scaled by CSS (phones); map from its content box back to its own pixels.
      const box = canvas.getBoundingClientRect();
      const left = box.left + canvas.clientLeft;
      const top = box.top + canvas.clientTop;
      return {
        x: (event.clientX - left) * canvas.width / canvas.clientWidth,
        y: (event.clientY - top) * canvas.height / canvas.clientHeight,
      };
    }

    function scheduleLive() {
      if (liveTimer) return;
      liveTimer = setTimeout(() => {
        liveTimer = null;
        onDraw();
      }, LIVE_INTERVAL_MS);
    }

    canvas.addEventListener('pointerdown', (event) => {
      if (event.pointerType === 'mouse' && event.button !== 0) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      onStart();
      const p = point(event);
      stroke = { id: event.pointerId, last: p };
      ctx.beginPath();
      ctx.arc(p.x, p.y, STROKE / 2, 0, Math.PI * 2);
      ctx.fill();
      pad.hasInk = true;
      scheduleLive();
    });

    canvas.addEventListener('pointermove', (event) => {
      if (!stroke || event.pointerId !== stroke.id) return;
      event.preventDefault();
      const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
      for (const e of events.length ? events : [event]) {
        const p = point(e);
        ctx.beginPath();
        ctx.moveTo(stroke.last.x, stroke.last.y);
        ctx.lineTo(p.x, p.y);
        ctx.stroke();
        stroke.last = p;
      }
      scheduleLive();
    });

    function endStroke(event) {
      if (!stroke || event.pointerId !== stroke.id) return;
      stroke = null;
      pad.cancelLive();
      onDraw();
    }
    canvas.addEventListener('pointerup', endStroke);
    canvas.addEventListener('pointercancel', endStroke);

    pad.reset();
    return pad;
  }

  /**
   * One request at a time; while one runs, only the newest waits, so drawing fast never queues up
   * requests. reset() (Clear, a new image) also drops an answer still on its way, so an answer to an
   * older image is never shown. {@code card} is aria-busy while an answer is outstanding.
   */
  function latestWins(card, show, fail = showError) {
    card.setAttribute('aria-busy', 'false');
    let running = false;
    let waiting = null;
    let generation = 0;

    async function run(send) {
      running = true;
      const started = generation;
      try {
        const answer = await send();
        if (started === generation) show(answer);
      } catch (error) {
        if (started === generation) fail(error);
      } finally {
        running = false;
        const next = waiting;
        waiting = null;
        if (next) run(next); else card.setAttribute('aria-busy', 'false');
      }
    }

    return {
      request(send) {
        card.setAttribute('aria-busy', 'true');
        if (running) waiting = send; else run(send);
      },
      reset() {
        generation++;
        waiting = null;
      },
      get generation() {
        return generation;
      },
    };
  }

  async function post(path, image) {
    return apiJson(path, { method: 'POST', headers: { 'Content-Type': image.type }, body: image.blob });
  }

  function loadImage(url) {
    return new Promise((resolve, reject) => {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = () => reject(new Error('the browser cannot read this image'));
      image.src = url;
    });
  }

  /**
   * What to send for a chosen or pasted file: the file itself, or, for formats the service does not
   * take (WebP, AVIF, SVG…), a PNG of what the browser decoded.
   */
  async function sendable(file, picture, how) {
    if (SUPPORTED_TYPES.includes(file.type) || !picture) return { blob: file, type: file.type, source: how };
    const full = document.createElement('canvas');
    full.width = picture.naturalWidth;
    full.height = picture.naturalHeight;
    full.getContext('2d').drawImage(picture, 0, 0);
    const blob = await new Promise((resolve) => full.toBlob(resolve, 'image/png'));
    return { blob, type: 'image/png', source: how };
  }

  function isImageFile(file) {
    if (file && (file.type || '').startsWith('image/')) return true;
    showMessage('error', 'Not an image', 'Choose or paste a PNG, JPEG, GIF or BMP image.');
    return false;
  }

  // Why an answer names no digit, as the page says it.
  const ABSTENTIONS = {
    'no-ink': 'No digit found — draw one',
    'not-a-digit': 'That doesn’t look like a digit',
  };
  const NUMBER_ABSTENTIONS = {
    'no-ink': 'No digits found — write a number',
    'not-a-digit': 'Part of this doesn’t look like a digit',
  };

  // ---------------------------------------------------------------- predict: one digit

  // The image the shown prediction belongs to: the feedback sends exactly these bytes.
  let shownImage = null;
  // The answer's explanation (model input and attributions), redrawn when the heatmap is toggled.
  let explained = null;

  const digitRequests = latestWins($('#digit-result'), ({ image, result }) => {
    shownImage = image;
    showPrediction(result);
  });

  // Explained predictions: the preview shows the image the network saw, with its attributions.
  const predictDigit = (image) => post('/predict?explain=true', image).then((result) => ({ image, result }));

  const digitPad = drawingPad($('#draw-canvas'), {
    onStart: () => {
      if (!digitPad.hasInk && shownImage && shownImage.source !== 'canvas') clearAll();
    },
    onDraw: () => {
      if (!digitPad.hasInk) return;
      $('#source-figure').hidden = true;
      digitRequests.request(async () => predictDigit(await digitPad.png()));
    },
  });

  const bars = $('#bars');
  for (let d = 0; d < 10; d++) {
    bars.append(el('div', { className: 'bar', id: 'bar-' + d, dataset: { digit: d } },
      el('span', { className: 'bar-label' }, d),
      el('div', { className: 'bar-track' }, el('div', { className: 'bar-fill' })),
      el('span', { className: 'bar-value' }, '')));
  }

  function showPrediction(result) {
    const abstained = result.digit === null || result.digit === undefined;
    const digit = $('#prediction-digit');
    digit.textContent = abstained ? '–' : result.digit;
    digit.hidden = abstained;
    digit.dataset.confidence = result.confidence;
    const abstain = $('#prediction-abstain');
    abstain.hidden = !abstained;
    abstain.textContent = abstained ? (ABSTENTIONS[result.reason] || `No digit (${result.reason || 'no reason given'})`) : '';
    abstain.dataset.reason = abstained ? result.reason || '' : '';
    // Without ink the probabilities say nothing about the image; they are still shown, greyed like an abstention's.
    $('#prediction-confidence').textContent = result.reason === 'no-ink' ? '–' : pct(result.confidence, 1);
    $('#prediction-model').textContent = result.modelVersion;
    bars.classList.toggle('abstained', abstained);
    let likeliest = 0;
    result.probabilities.forEach((p, d) => {
      if (p > result.probabilities[likeliest]) likeliest = d;
      const bar = $('#bar-' + d);
      // Only an answer is highlighted; an abstention's probabilities are shown, but none as the answer.
      bar.classList.toggle('top', d === result.digit);
      bar.dataset.probability = p;
      bar.querySelector('.bar-fill').style.width = (p * 100).toFixed(1) + '%';
      bar.querySelector('.bar-value').textContent = pct(p, 1);
    });
    explained = result.input ? { input: result.input, attributions: result.attributions } : null;
    drawPreview();

    // A correction says what the image really is: the answer, or the likeliest digit when the
    // network abstained, is only where the choice starts. An image without ink has nothing to correct.
    $('#feedback-digit').value = String(abstained ? likeliest : result.digit);
    $('#send-feedback').disabled = result.reason === 'no-ink';
    $('#feedback-status').textContent = result.reason === 'no-ink' ? 'Nothing was found in this image to correct.' : '';
  }

  function clearPrediction() {
    const digit = $('#prediction-digit');
    digit.textContent = '–';
    digit.hidden = false;
    delete digit.dataset.confidence;
    $('#prediction-abstain').hidden = true;
    $('#prediction-abstain').textContent = '';
    $('#prediction-confidence').textContent = '–';
    $('#prediction-model').textContent = '–';
    bars.classList.remove('abstained');
    for (const bar of bars.children) {
      bar.classList.remove('top');
      delete bar.dataset.probability;
      bar.querySelector('.bar-fill').style.width = '0';
      bar.querySelector('.bar-value').textContent = '';
    }
    $('#send-feedback').disabled = true;
    $('#feedback-status').textContent = '';
    explained = null;
    drawPreview();
  }

  function clearAll() {
    digitRequests.reset();
    shownImage = null;
    digitPad.reset();
    clearPrediction();
    $('#source-figure').hidden = true;
  }

  $('#clear').addEventListener('click', clearAll);

  // ---------------------------------------------------------------- predict: the model input and its heatmap

  const preview = $('#input-preview');
  const previewCtx = preview.getContext('2d');
  const heatToggle = $('#show-attributions');
  // Attributions toward the explained digit in red, against it in blue; opacity grows with |value|.
  const TOWARD = [239, 68, 68];
  const AWAY = [59, 130, 246];
  const HEAT_OPACITY = 0.85;
  // Under the heatmap the input is dimmed, so that the colours stand out from white ink.
  const DIM_UNDER_HEAT = 0.55;

  /** The largest |value| of 28 rows: the heatmap's scale, so the strongest pixel is fully coloured. */
  function largestMagnitude(rows) {
    let max = 0;
    for (const row of rows) for (const v of row) max = Math.max(max, Math.abs(v));
    return max;
  }

  /**
   * The 28×28 image the network saw, as the service returned it (bright ink on black), with the
   * attributions over it when the heatmap is on. Blank when the answer carried no explanation.
   */
  function drawPreview() {
    const input = explained && explained.input;
    const attributions = explained && explained.attributions;
    const values = attributions && Array.isArray(attributions.values) ? attributions.values : null;
    const scale = values ? largestMagnitude(values) : 0;
    const heat = heatToggle.checked && scale > 0;
    const image = previewCtx.createImageData(28, 28);
    let lit = 0;
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const gray = input ? 255 * Math.max(0, Math.min(1, input[y][x])) : 0;
        if (gray > 0) lit++;
        let rgb = heat ? [gray * DIM_UNDER_HEAT, gray * DIM_UNDER_HEAT, gray * DIM_UNDER_HEAT] : [gray, gray, gray];
        if (heat) {
          const v = values[y][x] / scale;
          const opacity = HEAT_OPACITY * Math.min(1, Math.abs(v));
          const colour = v > 0 ? TOWARD : AWAY;
          rgb = rgb.map((c, i) => c * (1 - opacity) + colour[i] * opacity);
        }
        const i = (y * 28 + x) * 4;
        image.data[i] = Math.round(rgb[0]);
        image.data[i + 1] = Math.round(rgb[1]);
        image.data[i + 2] = Math.round(rgb[2]);
        image.data[i + 3] = 255;
      }
    }
    previewCtx.putImageData(image, 0, 0);
    preview.dataset.inkPixels = lit;
    preview.dataset.source = input ? 'server' : 'none';
    preview.dataset.heatmap = heat ? 'shown' : 'hidden';

    heatToggle.disabled = !values;
    // Hidden but keeping its room, so the card does not jump when the heatmap is toggled.
    $('#heat-legend').classList.toggle('off', !heat);
    $('#heat-digit').textContent = values ? attributions.digit : '';
    $('#preview-caption').textContent = input || !shownImage ? 'model input'
      : 'model input (this service does not return it)';
    preview.title = heat ? `${attributions.method || 'attributions'}: red pixels pushed toward ${attributions.digit}, blue away from it` : '';
  }

  heatToggle.addEventListener('change', drawPreview);

  // ---------------------------------------------------------------- predict: a number

  const NUMBER_QUERY = '/predict?mode=number';
  const numberCanvas = $('#number-canvas');
  const overlay = $('#number-overlay');
  // The shown number's image and answer, and how the image is drawn on the canvas (a drawing: as
  // it is; an upload: scaled and centred), so that boxes in the image's pixels land on the picture.
  let shownNumber = null;
  let numberPlacement = null;
  // What the canvas shows: 'drawing', 'upload' or null (nothing yet).
  let numberSource = null;

  const numberRequests = latestWins($('#number-result'), ({ image, placement, result }) => {
    shownNumber = { image, result };
    numberPlacement = placement;
    showNumber(result);
  }, (error) => {
    showError(error);
    if (error instanceof ApiError && error.problem.numbersUnavailable) {
      const abstain = $('#number-abstain');
      $('#number-value').hidden = true;
      abstain.hidden = false;
      abstain.textContent = 'This service cannot read numbers yet.';
      abstain.dataset.reason = 'unavailable';
    }
  });

  async function readNumber(image, placement) {
    const result = await post(NUMBER_QUERY, image);
    if (!result || !Array.isArray(result.digits) || !('number' in result)) {
      // An older service ignores mode=number and answers one digit.
      throw new ApiError({
        title: 'Numbers are not available',
        detail: 'This service has no number mode (POST /predict?mode=number); it answered with a single digit.',
        status: 0,
        numbersUnavailable: true,
      });
    }
    return { image, placement, result };
  }

  const IDENTITY = { scale: 1, dx: 0, dy: 0 };

  const numberPad = drawingPad(numberCanvas, {
    onStart: () => {
      if (numberSource === 'upload') clearNumber();
      numberSource = 'drawing';
    },
    onDraw: () => {
      if (!numberPad.hasInk) return;
      numberRequests.request(async () => readNumber(await numberPad.png(), IDENTITY));
    },
  });

  function showNumber(result) {
    const abstained = result.number === null || result.number === undefined;
    const value = $('#number-value');
    value.textContent = abstained ? '–' : result.number;
    value.hidden = abstained;
    const abstain = $('#number-abstain');
    abstain.hidden = !abstained;
    abstain.textContent = abstained
      ? (NUMBER_ABSTENTIONS[result.reason] || `No number (${result.reason || 'no reason given'})`) : '';
    abstain.dataset.reason = abstained ? result.reason || '' : '';
    $('#number-confidence').textContent = pct(result.confidence, 1);
    $('#number-model').textContent = result.modelVersion || '–';
    $('#number-digits').replaceChildren(...result.digits.map((d, i) => el('li', {
      className: 'number-digit' + (d.digit === null || d.digit === undefined ? ' unread' : ''),
      dataset: { index: i, digit: d.digit ?? '', confidence: d.confidence },
      title: d.box ? `box x ${d.box.x}, y ${d.box.y}, ${d.box.width}×${d.box.height} px` : '',
    }, el('strong', {}, d.digit ?? '?'), el('span', {}, pct(d.confidence, 0)))));
    drawBoxes();

    $('#number-feedback-label').value = abstained ? result.digits.map((d) => d.digit ?? '').join('') : result.number;
    $('#send-number-feedback').disabled = result.reason === 'no-ink';
    $('#number-feedback-status').textContent = result.reason === 'no-ink' ? 'Nothing was found in this image to correct.' : '';
  }

  /**
   * Each digit's box over the picture, with its answer above it (the confidences are in the list
   * below, where they fit on a phone too); sized to read the same on any screen.
   */
  function drawBoxes() {
    const g = overlay.getContext('2d');
    g.clearRect(0, 0, overlay.width, overlay.height);
    const digits = shownNumber ? shownNumber.result.digits : [];
    overlay.dataset.boxes = digits.filter((d) => d.box).length;
    if (!digits.length || !numberPlacement) return;
    // Canvas pixels per CSS pixel: the canvas is shrunk on small screens.
    const k = overlay.width / (overlay.clientWidth || overlay.width);
    const font = Math.round(18 * k);
    g.font = `700 ${font}px system-ui, sans-serif`;
    g.textBaseline = 'middle';
    g.lineWidth = 2 * k;
    const { scale, dx, dy } = numberPlacement;
    for (const d of digits) {
      if (!d.box) continue;
      const x = dx + d.box.x * scale;
      const y = dy + d.box.y * scale;
      const w = d.box.width * scale;
      const h = d.box.height * scale;
      const read = d.digit !== null && d.digit !== undefined;
      const colour = read ? '#2456d6' : '#b42318';
      g.strokeStyle = colour;
      g.strokeRect(x, y, w, h);
      const label = read ? String(d.digit) : '?';
      const labelW = g.measureText(label).width + 12 * k;
      const labelH = font + 6 * k;
      // Above the box, or inside its top when the box starts at the canvas's top edge.
      const labelY = y - labelH >= 0 ? y - labelH : y;
      const labelX = Math.max(0, Math.min(overlay.width - labelW, x));
      g.fillStyle = colour;
      g.fillRect(labelX, labelY, labelW, labelH);
      g.fillStyle = '#fff';
      g.fillText(label, labelX + 6 * k, labelY + labelH / 2);
    }
  }

  function clearNumberResult() {
    shownNumber = null;
    const value = $('#number-value');
    value.textContent = '–';
    value.hidden = false;
    $('#number-abstain').hidden = true;
    $('#number-abstain').textContent = '';
    $('#number-confidence').textContent = '–';
    $('#number-model').textContent = '–';
    $('#number-digits').replaceChildren();
    $('#send-number-feedback').disabled = true;
    $('#number-feedback-status').textContent = '';
    drawBoxes();
  }

  function clearNumber() {
    numberRequests.reset();
    numberPlacement = null;
    numberSource = null;
    numberPad.reset();
    clearNumberResult();
  }

  $('#number-clear').addEventListener('click', clearNumber);
  window.addEventListener('resize', () => {
    if (predictMode === 'number') drawBoxes();
  });

  /** Shows a picture on the number canvas, scaled to fit and centred; returns where it went. */
  function placePicture(picture) {
    numberPad.reset();
    const scale = Math.min(numberCanvas.width / picture.naturalWidth, numberCanvas.height / picture.naturalHeight);
    const placement = {
      scale,
      dx: (numberCanvas.width - picture.naturalWidth * scale) / 2,
      dy: (numberCanvas.height - picture.naturalHeight * scale) / 2,
    };
    numberPad.ctx.drawImage(picture, placement.dx, placement.dy, picture.naturalWidth * scale, picture.naturalHeight * scale);
    return placement;
  }

  $('#send-number-feedback').addEventListener('click', async () => {
    if (!shownNumber) return;
    const label = $('#number-feedback-label').value.trim();
    if (!/^[0-9]{1,32}$/.test(label)) {
      showMessage('error', 'Not a number', 'Type the number the image shows, digits only (at most 32).');
      return;
    }
    const button = $('#send-number-feedback');
    button.disabled = true;
    try {
      const image = shownNumber.image;
      const accepted = await post('/feedback?mode=number&label=' + encodeURIComponent(label), image);
      const size = accepted && accepted.feedbackSize !== undefined ? ` The feedback set has ${accepted.feedbackSize} images.` : '';
      const text = `Thanks: saved as ${label}, one image per digit.${size}`;
      $('#number-feedback-status').textContent = text;
      showMessage('info', 'Correction saved.', text);
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = !shownNumber;
    }
  });

  // ---------------------------------------------------------------- predict: modes, uploads and paste

  let predictMode = 'digit';

  function setMode(mode) {
    predictMode = mode;
    for (const button of document.querySelectorAll('.mode-switch button')) {
      button.setAttribute('aria-pressed', String(button.dataset.mode === mode));
    }
    $('#digit-mode').hidden = mode !== 'digit';
    $('#number-mode').hidden = mode !== 'number';
    if (mode === 'number') drawBoxes();
  }

  for (const button of document.querySelectorAll('.mode-switch button')) {
    button.addEventListener('click', () => setMode(button.dataset.mode));
  }

  let sourceUrl = null;

  async function predictFile(file, how) {
    if (!isImageFile(file)) return;
    clearAll();
    const started = digitRequests.generation;
    if (sourceUrl) URL.revokeObjectURL(sourceUrl);
    sourceUrl = URL.createObjectURL(file);
    $('#source-image').src = sourceUrl;
    $('#source-caption').textContent = `${how} image (${file.type}, ${Math.round(file.size / 1024)} KB)`;
    $('#source-figure').hidden = false;

    let picture = null;
    if (!SUPPORTED_TYPES.includes(file.type)) {
      try {
        picture = await loadImage(sourceUrl);
      } catch (e) {
        // The server may still read formats this browser can't show; it answers with a problem if not.
      }
    }
    const image = await sendable(file, picture, how);
    if (started !== digitRequests.generation) return;
    digitRequests.request(() => predictDigit(image));
  }

  async function readNumberFile(file, how) {
    if (!isImageFile(file)) return;
    clearNumber();
    numberSource = 'upload';
    const started = numberRequests.generation;
    const url = URL.createObjectURL(file);
    let picture = null;
    try {
      picture = await loadImage(url);
    } catch (e) {
      // Sent anyway: the answer still lists the digits, only the boxes cannot be drawn.
    } finally {
      URL.revokeObjectURL(url);
    }
    if (started !== numberRequests.generation) return;
    const placement = picture ? placePicture(picture) : null;
    const image = await sendable(file, picture, how);
    if (started !== numberRequests.generation) return;
    numberRequests.request(() => readNumber(image, placement));
  }

  $('#upload').addEventListener('change', (event) => {
    const file = event.target.files && event.target.files[0];
    if (file) predictFile(file, 'uploaded');
    event.target.value = '';
  });

  $('#number-upload').addEventListener('change', (event) => {
    const file = event.target.files && event.target.files[0];
    if (file) readNumberFile(file, 'uploaded');
    event.target.value = '';
  });

  window.addEventListener('paste', (event) => {
    const items = event.clipboardData ? Array.from(event.clipboardData.items) : [];
    const item = items.find((i) => i.kind === 'file' && i.type.startsWith('image/'));
    if (!item) return;
    event.preventDefault();
    if (location.hash !== '#predict' && currentView !== 'predict') location.hash = '#predict';
    if (predictMode === 'number') readNumberFile(item.getAsFile(), 'pasted');
    else predictFile(item.getAsFile(), 'pasted');
  });

  $('#send-feedback').addEventListener('click', async () => {
    if (!shownImage) return;
    const label = $('#feedback-digit').value;
    const button = $('#send-feedback');
    button.disabled = true;
    try {
      const accepted = await post('/feedback?label=' + encodeURIComponent(label), shownImage);
      const what = accepted.label === 'none' ? 'not a digit' : `a ${accepted.label}`;
      const text = `Thanks: saved as ${what}. The feedback set has ${accepted.feedbackSize} images.`;
      $('#feedback-status').textContent = text;
      showMessage('info', 'Correction saved.', text);
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = !shownImage;
    }
  });

  // ---------------------------------------------------------------- charts

  /** The smallest of 1, 2, 4, 5, 8 or 10 times a power of ten that is at least {@code value}: even quarters for the axis. */
  function niceCeiling(value) {
    if (!(value > 0)) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 4, 5, 8, 10].find((f) => f * power >= value * 0.999) * power;
  }

  /**
   * A small line chart: series on a left axis (loss, from 0 to its maximum) or a right axis
   * (accuracy, 0–1), with a legend. Redrawn whole; sized from the canvas's CSS box.
   */
  function drawChart(chart, series, xLabel) {
    const points = series.reduce((n, s) => n + s.points.length, 0);
    chart.dataset.points = points;
    const cssWidth = chart.clientWidth;
    const cssHeight = chart.clientHeight;
    if (!cssWidth || !cssHeight) return;
    const ratio = window.devicePixelRatio || 1;
    if (chart.width !== Math.round(cssWidth * ratio) || chart.height !== Math.round(cssHeight * ratio)) {
      chart.width = Math.round(cssWidth * ratio);
      chart.height = Math.round(cssHeight * ratio);
    }
    const g = chart.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, cssWidth, cssHeight);
    g.font = '11px system-ui, sans-serif';
    const pad = { left: 44, right: 44, top: 26, bottom: 26 };
    const plotW = cssWidth - pad.left - pad.right;
    const plotH = cssHeight - pad.top - pad.bottom;

    let minX = Infinity, maxX = -Infinity, maxLeft = 0;
    for (const s of series) {
      for (const [x, y] of s.points) {
        minX = Math.min(minX, x); maxX = Math.max(maxX, x);
        if (s.axis === 'left' && Number.isFinite(y)) maxLeft = Math.max(maxLeft, y);
      }
    }
    if (!points) {
      g.fillStyle = '#98a2b3';
      g.textAlign = 'center';
      g.fillText('waiting for data…', cssWidth / 2, cssHeight / 2);
      return;
    }
    if (maxX === minX) { minX -= 1; maxX += 1; }
    maxLeft = niceCeiling(maxLeft);
    const sx = (x) => pad.left + (x - minX) / (maxX - minX) * plotW;
    const sy = (y, axis) => pad.top + plotH - (axis === 'left' ? y / maxLeft : y) * plotH;

    g.strokeStyle = '#eceff3';
    g.lineWidth = 1;
    g.fillStyle = '#667085';
    for (let i = 0; i <= 4; i++) {
      const y = pad.top + plotH * i / 4;
      g.beginPath(); g.moveTo(pad.left, y); g.lineTo(pad.left + plotW, y); g.stroke();
      g.textAlign = 'right';
      g.fillText(String(+(maxLeft * (4 - i) / 4).toPrecision(3)), pad.left - 6, y + 4);
      g.textAlign = 'left';
      g.fillText(((4 - i) * 25) + '%', pad.left + plotW + 6, y + 4);
    }
    g.textAlign = 'center';
    g.fillText(`${xLabel} ${Math.round(minX)}–${Math.round(maxX)}`, pad.left + plotW / 2, cssHeight - 8);

    let legendX = pad.left;
    for (const s of series) {
      g.strokeStyle = s.color;
      g.fillStyle = s.color;
      g.lineWidth = 2;
      g.setLineDash(s.dashed ? [5, 4] : []);
      g.beginPath();
      s.points.forEach(([x, y], i) => {
        if (!Number.isFinite(y)) return;
        if (i === 0) g.moveTo(sx(x), sy(y, s.axis)); else g.lineTo(sx(x), sy(y, s.axis));
      });
      g.stroke();
      if (s.points.length < 30) {
        for (const [x, y] of s.points) {
          if (!Number.isFinite(y)) continue;
          g.beginPath(); g.arc(sx(x), sy(y, s.axis), 2.5, 0, Math.PI * 2); g.fill();
        }
      }
      g.beginPath(); g.moveTo(legendX, 12); g.lineTo(legendX + 16, 12); g.stroke();
      g.setLineDash([]);
      g.fillStyle = '#344054';
      g.textAlign = 'left';
      g.fillText(s.name, legendX + 20, 16);
      legendX += 28 + g.measureText(s.name).width;
    }
    g.setLineDash([]);
  }

  // ---------------------------------------------------------------- jobs

  const jobs = new Map();
  let selectedJob = null;
  let stream = null;
  // Per-batch points exist only in the live stream (the job record keeps the latest batch), so
  // they are collected from the moment a job is selected.
  let batchPoints = [];
  const MAX_BATCH_POINTS = 20000;

  function jobSummary(job) {
    const r = job.request || {};
    const what = r.type === 'fine-tune' ? `fine-tune ${r.baseModel || 'production'}` + (job.parentVersion ? ` (v${job.parentVersion})` : '')
      : `train ${r.architecture || ''}`;
    return `${what} · ${r.dataset || 'mnist'} · ${r.epochs || '?'} ep`;
  }

  function jobPercent(job) {
    if (job.state === 'SUCCEEDED') return 100;
    return job.progress ? job.progress.percent : 0;
  }

  function renderJobs() {
    const rows = [...jobs.values()].sort((a, b) => (b.createdAt || '').localeCompare(a.createdAt || ''));
    const body = $('#jobs-table tbody');
    if (!rows.length) {
      body.replaceChildren(el('tr', {}, el('td', { className: 'empty', colspan: 6 }, 'No jobs yet.')));
      return;
    }
    body.replaceChildren(...rows.map((job) => {
      const percent = jobPercent(job);
      const result = job.result
        ? `v${job.result.version}${job.result.promoted ? ' · promoted' : ''}`
        : (job.state === 'FAILED' ? 'failed' : '');
      return el('tr', {
        id: 'job-row-' + job.id, className: job.id === selectedJob ? 'selected' : '',
        dataset: { id: job.id, state: job.state }, onclick: () => selectJob(job.id),
      },
      el('td', { className: 'mono', title: job.id }, job.id),
      el('td', {}, jobSummary(job)),
      el('td', {}, el('span', { className: 'state ' + job.state }, job.state)),
      el('td', {},
        el('div', { className: 'progress', title: percent.toFixed(0) + '%' },
          el('div', { className: 'progress-fill', style: `width:${percent.toFixed(1)}%` })),
        el('small', {}, percent.toFixed(0) + '%')),
      el('td', { title: job.result ? job.result.promotionDecision || '' : job.failureReason || '' }, result),
      el('td', {}, isFinished(job.state) ? '' : el('button', {
        type: 'button', className: 'danger small cancel', dataset: { id: job.id },
        onclick: (event) => { event.stopPropagation(); cancelJob(job.id); },
      }, 'Cancel')));
    }));
  }

  let renderPending = false;
  function scheduleRender() {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(() => {
      renderPending = false;
      renderJobs();
      const job = jobs.get(selectedJob);
      if (job) renderJobDetail(job);
    });
  }

  async function loadJobs(quiet = false) {
    try {
      const page = await apiJson('/jobs?size=50');
      const seen = new Set();
      for (const job of page.jobs) {
        seen.add(job.id);
        // The live stream is ahead of a list fetched a moment earlier.
        if (job.id === selectedJob && stream) continue;
        const known = jobs.get(job.id);
        if (!(known && isFinished(known.state) && !isFinished(job.state))) jobs.set(job.id, job);
      }
      for (const id of [...jobs.keys()]) if (!seen.has(id) && id !== selectedJob) jobs.delete(id);
      scheduleRender();
    } catch (error) {
      if (!quiet) showError(error);
    }
  }

  async function loadDatasets() {
    try {
      const datasets = await apiJson('/datasets');
      $('#dataset-options').replaceChildren(
        el('option', { value: 'mnist' }, 'MNIST (bundled)'),
        el('option', { value: 'feedback' }, 'corrections sent from this page'),
        ...datasets.filter((d) => d.id !== 'feedback').map((d) => el('option', { value: d.id }, `${d.name} (${d.size} images)`)));
    } catch (error) {
      // The list only helps typing; the field takes any id, and the jobs list reports a missing key.
    }
  }

  function renderJobDetail(job) {
    $('#job-detail').hidden = false;
    $('#job-id').textContent = job.id;
    const state = $('#job-state');
    state.textContent = job.state;
    state.className = 'state ' + job.state;
    const p = job.progress;
    const parts = [];
    if (p) {
      parts.push(`epoch ${p.epoch}/${p.epochs}`, `batch ${p.batch}/${p.batchesPerEpoch}`, `${jobPercent(job).toFixed(0)}%`,
        `${Math.round(p.imagesPerSecond)} images/s`);
      if (!isFinished(job.state)) parts.push(`ETA ${Math.round(p.etaSeconds)} s`);
      parts.push(`loss ${num(p.loss)}`, `accuracy ${pct(p.accuracy)}`);
    } else {
      parts.push(job.state === 'QUEUED' ? 'waiting for a free trainer…' : 'starting…');
    }
    $('#job-progress').textContent = parts.join(' · ');
    $('#job-progress-bar').style.width = jobPercent(job).toFixed(1) + '%';

    let resultText = jobSummary(job);
    if (job.result) {
      const r = job.result;
      const evaluations = r.evaluations || {};
      const scores = Object.entries(evaluations).map(([set, e]) => `${set} ${pct(e.accuracy, 2)}`).join(', ');
      resultText = `Registered version ${r.version}${scores ? ` (${scores})` : ''}. `
        + (r.promoted ? 'Promoted to production. ' : 'Not promoted. ') + (r.promotionDecision || '');
    } else if (job.state === 'FAILED') {
      resultText = 'Failed: ' + (job.failureReason || 'no reason given');
    } else if (job.state === 'CANCELLED') {
      resultText = 'Cancelled.';
    }
    $('#job-result').textContent = resultText;
    drawEpochChart(job);
    drawBatchChart();
  }

  function drawBatchChart() {
    drawChart($('#job-chart-batch'), [
      { name: 'loss', color: '#d92d20', axis: 'left', points: batchPoints.map((b) => [b.x, b.loss]) },
      { name: 'accuracy (running)', color: '#2456d6', axis: 'right', points: batchPoints.map((b) => [b.x, b.accuracy]) },
    ], 'batch');
  }

  function drawEpochChart(job) {
    const history = (job && job.history) || [];
    drawChart($('#job-chart-epoch'), [
      { name: 'train loss', color: '#d92d20', axis: 'left', points: history.map((h) => [h.epoch, h.trainLoss]) },
      { name: 'val loss', color: '#f79009', axis: 'left', dashed: true, points: history.map((h) => [h.epoch, h.validationLoss]) },
      { name: 'train acc', color: '#2456d6', axis: 'right', points: history.map((h) => [h.epoch, h.trainAccuracy]) },
      { name: 'val acc', color: '#12b76a', axis: 'right', dashed: true, points: history.map((h) => [h.epoch, h.validationAccuracy]) },
    ], 'epoch');
  }

  function redrawCharts() {
    const job = jobs.get(selectedJob);
    if (job) renderJobDetail(job);
  }

  function onJobEvent(type, job) {
    jobs.set(job.id, job);
    if (job.id === selectedJob && type === 'progress' && job.progress) {
      const p = job.progress;
      const x = (p.epoch - 1) * p.batchesPerEpoch + p.batch;
      const last = batchPoints[batchPoints.length - 1];
      if (last && x <= last.x) {
        // A resumed job redoes its interrupted epoch: the chart continues from there.
        batchPoints = batchPoints.filter((b) => b.x < x);
      }
      batchPoints.push({ x, loss: p.loss, accuracy: p.accuracy });
      if (batchPoints.length > MAX_BATCH_POINTS) batchPoints = batchPoints.filter((b, i) => i % 2 === 0);
    }
    scheduleRender();
  }

  /** Server-Sent Events over fetch(), since EventSource cannot send the X-API-Key header. */
  async function followJob(id, controller) {
    let failures = 0;
    while (!controller.signal.aborted) {
      let finished = false;
      try {
        const response = await api(`/jobs/${encodeURIComponent(id)}/events`, {
          headers: { Accept: 'text/event-stream' }, cache: 'no-store', signal: controller.signal,
        });
        failures = 0;
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        let event = 'message';
        let data = [];
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          const lines = buffer.split(/\r\n|\r|\n/);
          buffer = lines.pop();
          for (const line of lines) {
            if (line === '') {
              if (data.length) {
                const job = JSON.parse(data.join('\n'));
                onJobEvent(event, job);
                finished = isFinished(job.state);
              }
              event = 'message';
              data = [];
            } else if (!line.startsWith(':')) {
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event') event = value;
              else if (field === 'data') data.push(value);
            }
          }
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.problem.status >= 400 && error.problem.status < 500) {
          showError(error);
          return;
        }
        failures++;
      }
      if (finished) {
        loadJobs(true);
        return;
      }
      // The stream ended early (server restart, proxy timeout): pick it up again.
      await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 1000 * 2 ** failures)));
    }
  }

  async function selectJob(id) {
    if (id !== selectedJob) {
      if (stream) stream.abort();
      stream = null;
      selectedJob = id;
      batchPoints = [];
    }
    const job = jobs.get(id);
    if (job) renderJobDetail(job);
    scheduleRender();
    // A finished job's record (from the list) is complete; only a live one needs the stream.
    if (stream || (job && isFinished(job.state))) return;
    const controller = new AbortController();
    stream = controller;
    await followJob(id, controller);
    if (stream === controller) stream = null;
  }

  async function cancelJob(id) {
    try {
      const job = await apiJson(`/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
      jobs.set(job.id, job);
      scheduleRender();
      showMessage('info', 'Cancelling job.', `Job ${id} stops after its current batch.`);
    } catch (error) {
      showError(error);
    }
  }

  const jobType = $('#job-type');
  function showFieldsForType() {
    for (const field of document.querySelectorAll('[data-for-type]')) field.hidden = field.dataset.forType !== jobType.value;
    // Mirror the service's defaults: augmentation for training from scratch, none for fine-tuning.
    $('#job-augment').checked = jobType.value === 'train';
  }
  jobType.addEventListener('change', showFieldsForType);
  showFieldsForType();

  $('#job-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (selector) => $(selector).value.trim();
    const request = { type: jobType.value };
    if (request.type === 'train') {
      request.architecture = value('#job-architecture');
    } else {
      if (value('#job-base-model')) request.baseModel = value('#job-base-model');
      request.freezeFeatures = $('#job-freeze').checked;
    }
    if (value('#job-dataset')) request.dataset = value('#job-dataset');
    if (value('#job-epochs')) request.epochs = Number(value('#job-epochs'));
    if (value('#job-batch-size')) request.batchSize = Number(value('#job-batch-size'));
    if (value('#job-learning-rate')) request.learningRate = Number(value('#job-learning-rate'));
    request.optimizer = value('#job-optimizer');
    request.augment = $('#job-augment').checked;
    request.promotion = value('#job-promotion');

    const button = $('#submit-job');
    button.disabled = true;
    try {
      const job = await apiJson('/jobs', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request),
      });
      jobs.set(job.id, job);
      showMessage('info', 'Job queued.', `Job ${job.id}: ${jobSummary(job)}.`);
      selectJob(job.id);
      loadJobs(true);
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = false;
    }
  });

  $('#refresh-jobs').addEventListener('click', () => loadJobs());
  setInterval(() => {
    if (currentView === 'jobs' && document.visibilityState === 'visible') loadJobs(true);
  }, 3000);
  window.addEventListener('resize', () => {
    if (currentView === 'jobs') redrawCharts();
  });

  // ---------------------------------------------------------------- models

  let models = null;
  let selectedModel = null;

  function testEvaluation(model) {
    const e = model.evaluations || {};
    return e.test || e['mnist-test'] || Object.values(e)[0] || null;
  }

  function lineageText(lineage) {
    if (!lineage) return '';
    const parts = [];
    if (lineage.jobId) parts.push('job ' + lineage.jobId); else parts.push(lineage.source || 'unknown source');
    if (lineage.parentVersion) parts.push('from v' + lineage.parentVersion);
    if (lineage.dataset) parts.push('on ' + lineage.dataset);
    const h = lineage.hyperparameters;
    if (h) {
      const hp = [];
      if (h.epochs) hp.push(h.epochs + ' ep');
      if (h.batchSize) hp.push('batch ' + h.batchSize);
      if (h.optimizer) hp.push(h.optimizer);
      if (h.learningRate) hp.push('lr ' + h.learningRate);
      if (h.freezeFeatures) hp.push('frozen features');
      if (hp.length) parts.push(hp.join(', '));
    }
    return parts.join(' · ');
  }

  function renderModels() {
    const { production, aliases = {}, versions = [] } = models;
    $('#production-version').textContent = production || '–';
    const current = versions.find((v) => v.version === production);
    $('#production-summary').textContent = current
      ? `${current.architecture} · ${pct((testEvaluation(current) || {}).accuracy, 2)} test accuracy · ${lineageText(current.lineage)}`
      : '';
    const rollback = $('#rollback');
    rollback.disabled = !aliases.previous;
    rollback.title = aliases.previous ? `production ↔ previous (v${aliases.previous})` : 'no previous version to return to';

    $('#model-options').replaceChildren(
      ...Object.keys(aliases).map((a) => el('option', { value: a })),
      ...versions.map((v) => el('option', { value: v.version })));

    const sorted = [...versions].sort((a, b) => Number(b.version) - Number(a.version) || String(b.version).localeCompare(String(a.version)));
    const body = $('#models-table tbody');
    if (!sorted.length) {
      body.replaceChildren(el('tr', {}, el('td', { className: 'empty', colspan: 7 }, 'No versions.')));
    } else {
      body.replaceChildren(...sorted.map((v) => {
        const names = Object.keys(aliases).filter((a) => aliases[a] === v.version).sort();
        const evaluation = testEvaluation(v);
        const mnist = (v.evaluations || {})['mnist-test'];
        return el('tr', {
          id: 'model-row-' + v.version, className: v.version === selectedModel ? 'selected' : '',
          dataset: { version: v.version }, onclick: () => selectModel(v.version),
        },
        el('td', {}, el('strong', {}, v.version)),
        el('td', {}, names.map((a) => el('span', { className: 'alias alias-' + a }, a))),
        el('td', {}, `${v.architecture} · ${Number(v.parameterCount).toLocaleString()} params`),
        el('td', {}, evaluation ? pct(evaluation.accuracy, 2) : '–',
          mnist && mnist !== evaluation ? el('div', { className: 'hint' }, 'MNIST ' + pct(mnist.accuracy, 2)) : null),
        el('td', { className: 'lineage' }, lineageText(v.lineage)),
        el('td', {}, when(v.createdAt)),
        el('td', {}, el('button', {
          type: 'button', className: 'small promote', id: 'promote-' + v.version, dataset: { version: v.version },
          disabled: v.version === production, title: 'make this version production',
          onclick: (event) => { event.stopPropagation(); promote(v.version); },
        }, 'Promote')));
      }));
    }
    const selected = versions.find((v) => v.version === selectedModel);
    if (selected) renderModelDetail(selected); else $('#model-detail').hidden = true;
  }

  async function loadModels() {
    try {
      models = await apiJson('/models');
      renderModels();
    } catch (error) {
      showError(error);
    }
  }

  async function modelAction(path, done) {
    const buttons = document.querySelectorAll('#view-models button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const aliases = await apiJson(path, { method: 'POST' });
      showMessage('info', done(aliases));
    } catch (error) {
      showError(error);
    } finally {
      await loadModels();
      document.querySelectorAll('#view-models button:not(.promote):not(#rollback)').forEach((b) => { b.disabled = false; });
      // The outcome shows at the top (production version, message), wherever the button was.
      window.scrollTo({ top: 0 });
    }
  }

  function promote(version) {
    // Loading and warming the new version takes a moment; the service keeps serving the old one meanwhile.
    return modelAction(`/models/${encodeURIComponent(version)}/promote`,
      (a) => `Version ${a.production} is now in production.`);
  }

  $('#rollback').addEventListener('click', () => modelAction('/models/rollback',
    (a) => `Rolled back: version ${a.production} is in production again.`));
  $('#refresh-models').addEventListener('click', loadModels);

  function selectModel(version) {
    selectedModel = version;
    for (const row of document.querySelectorAll('#models-table tbody tr')) row.classList.toggle('selected', row.dataset.version === version);
    const model = models.versions.find((v) => v.version === version);
    const sets = Object.keys(model.evaluations || {});
    $('#evaluation-set').replaceChildren(...sets.map((s) => el('option', { value: s }, s)));
    if (sets.includes('test')) $('#evaluation-set').value = 'test';
    renderModelDetail(model);
    $('#model-detail').scrollIntoView({ block: 'nearest' });
  }

  $('#evaluation-set').addEventListener('change', () => {
    const model = models && models.versions.find((v) => v.version === selectedModel);
    if (model) renderModelDetail(model);
  });

  function renderModelDetail(model) {
    $('#model-detail').hidden = false;
    $('#model-detail-version').textContent = model.version;
    const set = $('#evaluation-set').value;
    const evaluation = (model.evaluations || {})[set];
    const confusion = $('#confusion');
    const perClass = $('#per-class');
    if (!evaluation) {
      $('#evaluation-summary').textContent = 'This version has no evaluation.';
      confusion.replaceChildren();
      perClass.replaceChildren();
      return;
    }
    $('#evaluation-summary').textContent =
      `${evaluation.images} images · accuracy ${pct(evaluation.accuracy, 2)} · loss ${num(evaluation.loss, 4)}`;

    const cells = [el('div', { className: 'head' }, '')];
    for (let p = 0; p < 10; p++) cells.push(el('div', { className: 'head' }, p));
    const matrix = evaluation.confusion || [];
    for (let a = 0; a < 10; a++) {
      const row = matrix[a] || [];
      const total = row.reduce((s, c) => s + c, 0) || 1;
      cells.push(el('div', { className: 'head' }, a));
      for (let p = 0; p < 10; p++) {
        const count = row[p] || 0;
        const share = count / total;
        // Errors are rare, so their colour grows with the square root to stay visible next to the diagonal.
        const strength = a === p ? share : Math.min(1, Math.sqrt(share) * 1.5);
        const colour = a === p ? `rgba(36, 86, 214, ${0.08 + 0.92 * strength})`
          : (count ? `rgba(217, 45, 32, ${0.1 + 0.9 * strength})` : '#f6f7f9');
        cells.push(el('div', {
          className: 'cell', title: `actual ${a}, predicted ${p}: ${count} images`,
          dataset: { actual: a, predicted: p, count },
          style: `background:${colour};color:${strength > 0.5 ? '#fff' : '#1d2330'}`,
        }, count || ''));
      }
    }
    confusion.replaceChildren(...cells);

    perClass.replaceChildren(...(evaluation.perClassAccuracy || []).map((accuracy, d) => el('div', { className: 'bar' },
      el('span', { className: 'bar-label' }, d),
      el('div', { className: 'bar-track' }, el('div', { className: 'bar-fill', style: `width:${(accuracy * 100).toFixed(1)}%` })),
      el('span', { className: 'bar-value' }, pct(accuracy, 1)))));
  }

  // ---------------------------------------------------------------- start

  clearPrediction();
  clearNumberResult();
  window.addEventListener('hashchange', route);
  route();
})();
