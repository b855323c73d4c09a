/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { WINDOWS, type WindowKey } from './time-window.ts';

/** A GET form choosing the look-back window (keeps the site). */
export function WindowPicker(props: { current: WindowKey; site: string }) {
  return (
    <form method="get" class="window-picker">
      <input type="hidden" name="site" value={props.site} />
      <label>
        Window{' '}
        <select name="window">
          {Object.entries(WINDOWS).map(([key, w]) => (
            <option value={key} selected={key === props.current}>
              {w.label}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="submit">Show</button>
    </form>
  );
}
