// Small DOM helpers: elements are built with createElement and textContent only (no HTML
// strings, so the pages run under a Trusted Types CSP), and texts bound with `live` follow
// the language switch.
import { onLangChange } from './i18n.ts';

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

const bindings = new Set<() => boolean>();

onLangChange(() => {
  for (const update of bindings) if (!update()) bindings.delete(update);
});

/**
 * A text node whose content is `render()`, re-rendered on every language switch while it
 * stays in the document (or has not been attached yet).
 */
export function live(render: () => string): Text {
  const node = document.createTextNode(render());
  let attached = false;
  bindings.add(() => {
    if (node.isConnected) attached = true;
    else if (attached) return false;
    node.textContent = render();
    return true;
  });
  return node;
}

/** Renders every bound text again: for texts that follow the chosen programme as well as the language. */
export function refreshLive(): void {
  for (const update of bindings) if (!update()) bindings.delete(update);
}

/** Keeps an attribute in the current language. */
export function liveAttr(el: Element, name: string, render: () => string): void {
  el.setAttribute(name, render());
  let attached = false;
  bindings.add(() => {
    if (el.isConnected) attached = true;
    else if (attached) return false;
    el.setAttribute(name, render());
    return true;
  });
}

export function clear(el: Element): void {
  el.replaceChildren();
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}
