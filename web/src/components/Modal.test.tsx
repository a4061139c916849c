import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';

import Modal from './Modal';

function Harness() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>Open</button>
      <Modal open={open} onClose={() => setOpen(false)} labelledBy="title">
        <h2 id="title">Title</h2>
        <input aria-label="First" />
        <button type="button" disabled>Off</button>
        <button type="button" onClick={() => setOpen(false)}>Last</button>
      </Modal>
    </>
  );
}

beforeEach(() => {
  // jsdom has no <dialog> methods; close() fires "close" as the browser does (Escape ends there too).
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) { this.open = true; };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.open = false;
    this.dispatchEvent(new Event('close'));
  };
  document.documentElement.style.overflow = '';
});

describe('Modal', () => {
  it('locks the page’s scrolling while open and gives it back, with the focus, when closed', () => {
    render(<Harness />);
    const opener = screen.getByRole('button', { name: 'Open' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Title' }) as HTMLDialogElement;
    expect(dialog.open).toBe(true);
    expect(document.documentElement.style.overflow).toBe('hidden');

    fireEvent.click(screen.getByRole('button', { name: 'Last' }));
    expect(dialog.open).toBe(false);
    expect(document.documentElement.style.overflow).toBe('');
    expect(document.activeElement).toBe(opener);
  });

  it('follows the browser closing it (Escape) and keeps Tab among its own controls', () => {
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = screen.getByRole('dialog', { name: 'Title' }) as HTMLDialogElement;
    const first = screen.getByLabelText('First');
    const last = screen.getByRole('button', { name: 'Last' });

    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(document.activeElement).toBe(first); // past the last: back to the first (the disabled one is skipped)
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);

    act(() => dialog.close()); // as Escape does
    expect(document.documentElement.style.overflow).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(dialog.open).toBe(true); // the state followed: it opens again
  });
});
