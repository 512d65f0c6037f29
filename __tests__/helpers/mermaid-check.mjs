// Parses Mermaid diagrams with Mermaid's own parser, outside jest (Mermaid needs a DOM and native ESM):
// reads a JSON array of diagram texts on stdin, prints a JSON array of results.
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('');
Object.assign(globalThis, { window, document: window.document });
const { default: mermaid } = await import('mermaid');

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const { diagramType } = await mermaid.parse(text);
    const drawn = await mermaid.mermaidAPI.getDiagramFromText(text);
    const tasks =
      diagramType === 'gantt'
        ? drawn.db.getTasks().map((t) => ({
            section: t.section,
            task: t.task,
            milestone: Boolean(t.milestone),
            start: t.startTime.getTime(),
            end: t.endTime.getTime(),
          }))
        : [];
    results.push({ diagramType, tasks });
  } catch (error) {
    results.push({ error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
