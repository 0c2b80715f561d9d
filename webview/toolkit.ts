// The only module that knows the panel's controls come from @vscode/webview-ui-toolkit.
// The toolkit is no longer maintained upstream; a successor (or plain HTML elements styled
// with --vscode-* variables) replaces this file and nothing else.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerControls(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeProgressRing(),
  );
}

export function button(
  label: string,
  onClick: () => void,
  appearance: 'primary' | 'secondary' | 'icon' = 'secondary',
): HTMLElement {
  const element = document.createElement('vscode-button');
  element.setAttribute('appearance', appearance);
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}

export function checkbox(
  label: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
): HTMLElement {
  const element = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  element.textContent = label;
  element.checked = checked;
  if (checked) element.setAttribute('checked', '');
  element.addEventListener('change', () => onChange(element.checked));
  return element;
}

export function dropdown(
  options: Array<{ value: string; label: string }>,
  selected: string,
  onChange: (value: string) => void,
): HTMLElement {
  const element = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  for (const option of options) {
    const item = document.createElement('vscode-option') as HTMLElement & { value: string };
    item.setAttribute('value', option.value);
    item.textContent = option.label;
    if (option.value === selected) item.setAttribute('selected', '');
    element.append(item);
  }
  element.addEventListener('change', () => onChange(element.value));
  return element;
}

export function progressRing(): HTMLElement {
  return document.createElement('vscode-progress-ring');
}

/** A range slider (the toolkit has none: a native input styled by panel.css). */
export function slider(
  value: number,
  max: number,
  onInput: (value: number) => void,
  label: string,
): HTMLInputElement {
  const element = document.createElement('input');
  element.type = 'range';
  element.className = 'slider';
  element.min = '0';
  element.max = String(max);
  element.step = '1';
  element.value = String(value);
  element.setAttribute('aria-label', label);
  element.addEventListener('input', () => onInput(Number(element.value)));
  return element;
}
