/**
 * The keyboard of an editable combobox with a list of suggestions, after the
 * WAI-ARIA Authoring Practices "combobox with listbox popup, list autocomplete"
 * pattern: focus stays in the text box, the active option is pointed at with
 * aria-activedescendant. Pure: the component applies the result.
 */

export type ComboboxState = {
  /** The listbox is shown. */
  open: boolean;
  /** Index of the active (visually focused) option, or null. */
  active: number | null;
  /** How many options there are. */
  count: number;
};

export type ComboboxAction = {
  open: boolean;
  active: number | null;
  /** The option to accept (fills the fields), or null. */
  choose: number | null;
  /** The key was used: the component calls preventDefault. */
  handled: boolean;
};

export type ComboboxKey = { key: string; altKey?: boolean; ctrlKey?: boolean; metaKey?: boolean; isComposing?: boolean };

export function comboboxKey(event: ComboboxKey, state: ComboboxState): ComboboxAction {
  const unchanged: ComboboxAction = { open: state.open, active: state.active, choose: null, handled: false };
  if (event.isComposing === true || event.ctrlKey === true || event.metaKey === true) return unchanged;
  const { count } = state;
  switch (event.key) {
    case "ArrowDown": {
      if (count === 0) return unchanged;
      if (event.altKey === true) return { open: true, active: state.active, choose: null, handled: true };
      if (!state.open || state.active === null) return { open: true, active: 0, choose: null, handled: true };
      return { open: true, active: (state.active + 1) % count, choose: null, handled: true };
    }
    case "ArrowUp": {
      if (count === 0) return unchanged;
      if (!state.open || state.active === null) return { open: true, active: count - 1, choose: null, handled: true };
      return { open: true, active: (state.active - 1 + count) % count, choose: null, handled: true };
    }
    case "Enter": {
      if (!state.open || state.active === null || state.active >= count) return unchanged;
      return { open: false, active: null, choose: state.active, handled: true };
    }
    case "Escape": {
      if (!state.open) return unchanged;
      return { open: false, active: null, choose: null, handled: true };
    }
    case "Tab":
      return { open: false, active: null, choose: null, handled: false };
    default:
      return unchanged;
  }
}
