/* global document, window, mermaid */
// Runs in the summary page (inlined by render-html.ts). GitHub turns each ```mermaid block into a
// drawn diagram with Mermaid's default theme; this does the same, one block at a time so that one bad
// block keeps its own error (Mermaid draws its "Syntax error in text" graphic in its place), then sets
// window.mermaidDone for the screenshot driver.
(async () => {
  const blocks = [];
  for (const code of document.querySelectorAll('.markdown-body pre > code.language-mermaid')) {
    const block = document.createElement('div');
    block.className = 'mermaid-block';
    block.dataset.mermaidBlock = String(blocks.length);
    block.textContent = code.textContent;
    code.parentElement.replaceWith(block);
    blocks.push(block);
  }
  try {
    if (blocks.length > 0 && typeof mermaid === 'undefined') throw new Error('mermaid.min.js did not load');
    if (blocks.length > 0) {
      mermaid.initialize({ startOnLoad: false, theme: 'default', securityLevel: 'strict' });
      for (const block of blocks) {
        block.dataset.source = block.textContent;
        try {
          await mermaid.run({ nodes: [block] });
        } catch (error) {
          block.dataset.mermaidError = String((error && error.message) || error);
        }
      }
    }
  } catch (error) {
    for (const block of blocks) block.dataset.mermaidError = String((error && error.message) || error);
  } finally {
    window.mermaidDone = true;
  }
})();
