/**
 * A job summary's Markdown → an HTML page that looks like GitHub's job summary pane: GitHub-Flavored
 * Markdown (marked, gfm), then GitHub's sanitisation (rehype-sanitize's default schema is GitHub's
 * allow-list: no `style`, no `class` but a few, no scripts, ids prefixed `user-content-`), styled with
 * github-markdown-css (light), about 1000 px wide, and ```mermaid blocks drawn by the mermaid package
 * in the page, as GitHub draws them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Element, ElementContent, Root } from 'hast';
import { Marked } from 'marked';
import { rehype } from 'rehype';
import rehypeSanitize from 'rehype-sanitize';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** Width of the page (the browser viewport): the summary pane of a run page on a laptop screen. */
export const PAGE_WIDTH = 1000;

export const MERMAID_SCRIPT = require.resolve('mermaid/dist/mermaid.min.js');
const MARKDOWN_CSS = require.resolve('github-markdown-css/github-markdown-light.css');
const PAGE_SCRIPT = path.join(here, 'page-mermaid.js');

// Its own instance, so the options never leak into another user of marked.
const marked = new Marked({ gfm: true, breaks: false });

/** GFM → sanitised HTML (the body of the summary), as GitHub would put it in the page. */
export async function markdownToHtml(markdown: string): Promise<string> {
  const raw = await marked.parse(markdown);
  const file = await rehype()
    .data('settings', { fragment: true })
    .use(rehypeSanitize)
    // GitHub adds the task-list classes after sanitising; github-markdown-css needs them to drop the bullets.
    .use(() => (tree: Root) => markTaskLists(tree))
    .process(raw);
  return String(file);
}

export interface PageOptions {
  /** The page's <title> (the scenario). */
  title: string;
  /** The box header reads "<job> summary", as on a run page; default "deploy". */
  jobName?: string;
  /** Where the page will be written: mermaid is referenced relative to it, so a kept page opens by hand. */
  htmlPath: string;
  /** The script's src instead: a copy kept beside the page, so the page outlives the checkout. */
  mermaidSrc?: string;
}

/** A whole page: the summary box at PAGE_WIDTH, the stylesheet inline, mermaid loaded from node_modules. */
export async function renderPage(markdown: string, options: PageOptions): Promise<string> {
  const body = await markdownToHtml(markdown);
  const mermaidSrc =
    options.mermaidSrc ??
    path
      .relative(path.dirname(path.resolve(options.htmlPath)), MERMAID_SCRIPT)
      .split(path.sep)
      .map(encodeURIComponent)
      .join('/');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=${PAGE_WIDTH}">
<title>${escapeHtml(options.title)}</title>
<style>
${readFileSync(MARKDOWN_CSS, 'utf8')}
</style>
<style>
  /* The run page around the summary: a bordered box with a header line, on a white page. */
  html, body { margin: 0; background: #ffffff; }
  body { width: ${PAGE_WIDTH}px; box-sizing: border-box; padding: 16px; }
  .summary-box { border: 1px solid #d1d9e0; border-radius: 6px; }
  .summary-header { padding: 16px 24px; border-bottom: 1px solid #d1d9e0; font: 600 14px/1.5 -apple-system,
    BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
  .markdown-body { box-sizing: border-box; padding: 24px; }
  /* GitHub shows a diagram centred in its own frame, as wide as the pane at most. */
  .markdown-body .mermaid-block { margin-bottom: 16px; text-align: center; }
  .markdown-body .mermaid-block svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<div class="summary-box">
<div class="summary-header">${escapeHtml(options.jobName ?? 'deploy')} summary</div>
<article class="markdown-body">
${body}
</article>
</div>
<script src="${mermaidSrc}"></script>
<script>
${readFileSync(PAGE_SCRIPT, 'utf8')}
</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

const isCheckbox = (node: ElementContent | undefined): boolean =>
  node?.type === 'element' && node.tagName === 'input' && node.properties.type === 'checkbox';

/** `li` starting with a checkbox (directly or in its first paragraph) → task-list-item; its list → contains-task-list. */
function markTaskLists(node: Root | Element): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'ul' || child.tagName === 'ol') {
      let tasks = false;
      for (const item of child.children) {
        if (item.type !== 'element' || item.tagName !== 'li') continue;
        const first = item.children.find((c) => c.type !== 'text' || c.value.trim() !== '');
        const inParagraph =
          first?.type === 'element' && first.tagName === 'p' ? first.children[0] : undefined;
        if (isCheckbox(first) || isCheckbox(inParagraph)) {
          item.properties.className = ['task-list-item'];
          tasks = true;
        }
      }
      if (tasks) child.properties.className = ['contains-task-list'];
    }
    markTaskLists(child);
  }
}
