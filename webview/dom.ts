// Small DOM helpers shared by the panel's sections.

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A titled section with a toolbar on the right of its heading. */
export function section(id: string, title: string, ...body: Node[]): HTMLElement {
  return element(
    'section',
    { id },
    element(
      'div',
      { class: 'section-head' },
      element('h2', {}, title),
      element('div', { class: 'toolbar' }),
    ),
    ...body,
  );
}

export function setToolbar(target: HTMLElement, controls: HTMLElement[]): void {
  target.querySelector('.toolbar')!.replaceChildren(...controls);
}
