/**
 * A button that opens a menu (WAI-ARIA menu button pattern): arrow keys, Home and End move
 * between items, Escape closes and returns to the button, Tab or a click elsewhere closes.
 * Disabling the button closes the menu; enabling it again does not reopen it.
 */
import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { focusBackOnRemoval } from './focus-back';
import './menu-button.css';

export interface MenuItem<K extends string> {
  readonly key: K;
  readonly label: string;
}

interface MenuButtonProps<K extends string> {
  /** The trigger's accessible name. */
  readonly label: string;
  readonly children: ReactNode;
  readonly items: readonly MenuItem<K>[];
  readonly onSelect: (key: K) => void;
  readonly className?: string;
  /** Nothing to choose from now (the account has no token): the trigger is disabled. */
  readonly disabled?: boolean;
  /** Says why when disabled (a tooltip). */
  readonly title?: string | undefined;
}

export const MenuButton = <K extends string>({
  label,
  children,
  items,
  onSelect,
  className,
  disabled = false,
  title,
}: MenuButtonProps<K>) => {
  const menuId = useId();
  const [openAt, setOpenAt] = useState<number>();
  // Disabled while open (the account lost its token): the menu is closed, not merely hidden, so
  // that enabling the button again does not open it by itself.
  if (disabled && openAt !== undefined) setOpenAt(undefined);
  const open = openAt !== undefined && !disabled;
  const anchorRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  // Closed by the user (Escape, Tab, a choice, a click elsewhere): the focus goes where they sent
  // it. Closed otherwise (the button disabled, the row gone) with the focus on an item: the item
  // goes and the button may not take the focus, so it goes to the fallback, not to <body>.
  const closedByUser = useRef(false);
  const menuRef = useCallback((element: HTMLDivElement | null) => {
    const rescue = focusBackOnRemoval(element);
    return () => {
      if (!closedByUser.current) rescue?.();
    };
  }, []);

  useEffect(() => {
    if (openAt === undefined) return undefined;
    itemRefs.current[openAt]?.focus();
    const closeOutside = (event: PointerEvent) => {
      if (anchorRef.current?.contains(event.target as Node)) return;
      closedByUser.current = true;
      setOpenAt(undefined);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [openAt]);

  const openTo = (index: number) => {
    closedByUser.current = false;
    setOpenAt(index);
  };

  const close = (refocus: boolean) => {
    closedByUser.current = true;
    setOpenAt(undefined);
    if (refocus) buttonRef.current?.focus();
  };

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openTo(event.key === 'ArrowDown' ? 0 : items.length - 1);
    }
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const current = itemRefs.current.indexOf(document.activeElement as HTMLButtonElement);
    const last = items.length - 1;
    const moveTo = (index: number) => {
      event.preventDefault();
      itemRefs.current[index]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        return moveTo(current >= last ? 0 : current + 1);
      case 'ArrowUp':
        return moveTo(current <= 0 ? last : current - 1);
      case 'Home':
        return moveTo(0);
      case 'End':
        return moveTo(last);
      case 'Escape':
        event.preventDefault();
        // A menu inside a dialog: Escape closes the menu, not the dialog.
        event.stopPropagation();
        return close(true);
      case 'Tab':
        return close(false);
    }
  };

  return (
    <div className={`menu-anchor ${className ?? ''}`} ref={anchorRef}>
      <button
        ref={buttonRef}
        type="button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        title={title}
        onClick={() => (open ? close(false) : openTo(0))}
        onKeyDown={onButtonKey}
      >
        {children}
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          className="menu"
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKey}
        >
          {items.map((item, index) => (
            <button
              key={item.key}
              ref={(element) => {
                itemRefs.current[index] = element;
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu-item"
              onClick={() => {
                close(true);
                onSelect(item.key);
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
};
