// Reads a PDF the way Firefox's viewer does (pdf.js, legacy build for Node) and reports every text item that is not
// wholly inside its page box. Usage: node pdf_text_boxes.mjs FILE.pdf. Output: JSON {"pages": n, "page1": text,
// "items": count, "outside": [{page, str, x, y, width, height, pageWidth, pageHeight}]}
import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const TOLERANCE = 0.5; // points: rounding in the glyph metrics
const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const outside = [];
let items = 0;
let page1 = "";
for (let number = 1; number <= pdf.numPages; number++) {
  const page = await pdf.getPage(number);
  const [x0, y0, x1, y1] = page.view; // the page box in PDF points
  const content = await page.getTextContent();
  for (const item of content.items) {
    if (!("str" in item) || !item.str.trim()) continue;
    items++;
    const [a, b, , , x, y] = item.transform;
    const width = item.width;
    const height = item.height || Math.hypot(a, b);
    if (x < x0 - TOLERANCE || x + width > x1 + TOLERANCE || y < y0 - TOLERANCE || y + height > y1 + TOLERANCE) {
      outside.push({ page: number, str: item.str.slice(0, 40), x, y, width, height, pageWidth: x1 - x0, pageHeight: y1 - y0 });
    }
  }
  if (number === 1) page1 = content.items.map((item) => item.str || "").join(" ");
}
process.stdout.write(JSON.stringify({ pages: pdf.numPages, page1, items, outside }));
