/* global document, window, getComputedStyle */
// Added to the page by browser.ts after the mermaid blocks are drawn: measures what a reader would
// notice. Returns plain data (see PageChecks in browser.ts).

/** Opens every closed <details> of the summary; returns how many there were. */
window.openAllDetails = () => {
  const closed = document.querySelectorAll('.markdown-body details:not([open])');
  for (const details of closed) details.open = true;
  return closed.length;
};

window.screenshotChecks = () => {
  const body = document.querySelector('.markdown-body');
  const style = getComputedStyle(body);
  const box = body.getBoundingClientRect();
  // The content box: text reaching into the padding already looks off, past it the pane scrolls.
  const left = box.left + parseFloat(style.paddingLeft);
  const right = box.right - parseFloat(style.paddingRight);
  const describe = (el) => {
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim();
    return `<${el.tagName.toLowerCase()}> "${text.length > 60 ? `${text.slice(0, 57)}…` : text}"`;
  };
  // Content inside a box that clips or scrolls (a <pre>, a GitHub table) cannot push the page; that box
  // is checked for scrolling instead, so each overflow is told once.
  const clippedBy = (el) => {
    for (let p = el.parentElement; p && p !== body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return p;
    }
    return undefined;
  };
  const wide = [];
  for (const el of body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue; // not displayed (e.g. in a closed <details>)
    const own = getComputedStyle(el);
    if (['auto', 'scroll'].includes(own.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      wide.push(`${describe(el)} scrolls sideways: ${el.scrollWidth}px of content in ${el.clientWidth}px`);
    }
    if (clippedBy(el)) continue;
    if (r.right > right + 1)
      wide.push(`${describe(el)} runs ${Math.round(r.right - right)}px past the right edge`);
    else if (r.left < left - 1)
      wide.push(`${describe(el)} starts ${Math.round(left - r.left)}px left of the edge`);
  }
  const mermaidBlocks = [...document.querySelectorAll('[data-mermaid-block]')].map((block) => {
    const svg = block.querySelector('svg');
    const source = block.dataset.source || '';
    const syntaxError = (block.textContent || '').includes('Syntax error in text');
    const natural = svg ? parseFloat(svg.style.maxWidth) || svg.viewBox.baseVal?.width || 0 : 0;
    const width = svg ? svg.getBoundingClientRect().width : 0;
    return {
      kind: source.trim().split(/\s/)[0] || '?',
      rendered: Boolean(svg) && !syntaxError && !block.dataset.mermaidError,
      error: block.dataset.mermaidError || (syntaxError ? 'Syntax error in text' : svg ? '' : 'no <svg>'),
      // A diagram wider than the pane is scaled down: its text gets small.
      scale: natural > 0 ? Math.min(1, width / natural) : 1,
    };
  });
  return {
    viewportWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    contentWidth: Math.round(right - left),
    wide,
    mermaid: mermaidBlocks,
    height: document.documentElement.scrollHeight,
  };
};
