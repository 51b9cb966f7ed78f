/**
 * Pin the Dexcom: practise where a Dexcom sensor may go. The routine (wash hands, clean the site, place the
 * sensor, press, start it in the app, warm-up) in order; the sensor placed on a front/back body figure by drag,
 * click-then-click or keyboard; the server's verdict; progress from the server. Works for guests against the
 * public sites endpoint; judging a placement needs an account.
 */
import '../pin/pin.css';
import type { User } from '../api/accounts';
import { h } from '../ui/dom';
import { loadSession } from '../ui/session';
import { PinGame } from '../pin/game';

export async function mount(root: HTMLElement): Promise<void> {
  const container = h('div', { class: 'container pin' });
  root.append(container);
  container.append(h('p', { class: 'loading', role: 'status' }, 'Loading Pin the Dexcom…'));
  let user: User | null = null;
  try {
    user = await loadSession();
  } catch {
    // The server could not say who is signed in: play as a guest; the sites request reports a dead server.
  }
  container.replaceChildren();
  await new PinGame(container, user).start();
}
