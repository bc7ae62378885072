/**
 * The job graph view as a file: SVG (the drawing as it is on the page) or PNG (that SVG
 * drawn on a canvas at twice the size, for slides). The page styles the drawing with
 * component CSS, which a file does not carry, so each element's computed presentation
 * properties are written into the copy as attributes: the file looks as the page did.
 */

/** The properties that make the drawing look as it does; the rest of a computed style is noise. */
const PRESENTATION = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-size', 'font-weight', 'font-family', 'text-anchor', 'dominant-baseline'] as const;

/**
 * A standalone copy of `svg` as text: its computed presentation written inline, a white
 * background, and a title. `styleOf` is the browser's getComputedStyle.
 * @example serializeSvg(document.querySelector('svg')!, getComputedStyle, 'Job graph at t = 1,500 ms')
 */
export function serializeSvg(svg: SVGSVGElement, styleOf: (element: Element) => CSSStyleDeclaration, title: string): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((original, i) => {
    const target = copies[i];
    if (target === undefined) return;
    const style = styleOf(original);
    for (const property of PRESENTATION) {
      const value = style.getPropertyValue(property);
      if (value !== '') target.setAttribute(property, value);
    }
    target.removeAttribute('class');
    target.removeAttribute('tabindex');
  });
  const box = svg.viewBox.baseVal;
  const width = box !== null && box.width > 0 ? box.width : svg.clientWidth;
  const height = box !== null && box.height > 0 ? box.height : svg.clientHeight;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.removeAttribute('style');
  const ns = 'http://www.w3.org/2000/svg';
  const background = svg.ownerDocument.createElementNS(ns, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  const titled = svg.ownerDocument.createElementNS(ns, 'title');
  titled.textContent = title;
  copy.insertBefore(background, copy.firstChild);
  copy.insertBefore(titled, copy.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** The SVG text drawn on a canvas `scale` times its size, as PNG bytes. */
export async function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<Blob> {
  // A data: URL, which the page's Content-Security-Policy allows for images (blob: it does not).
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('this browser gives no 2D canvas');
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob === null ? reject(new Error('the canvas gave no PNG')) : resolve(blob)), 'image/png'));
}

/** Hands `blob` to the browser as a download named `filename`. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** `late-data-t1500.svg`: the scenario's base name and the moment drawn. */
export function exportName(scenario: string, timeMs: number, extension: 'svg' | 'png'): string {
  const base = (scenario.slice(scenario.lastIndexOf('/') + 1) || 'job').replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${base}-graph-t${Math.round(timeMs)}.${extension}`;
}
