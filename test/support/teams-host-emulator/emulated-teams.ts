import type { Frame, FrameLocator, Page } from 'playwright-core';
import type {
  HostPageConfig,
  RecordedMessage,
  TeamsHostControl,
  TeamsHostState,
  TeamsTheme,
} from './protocol';
import type { TeamsHostEmulator } from './server';

/*
 * The test's side of the emulated Teams client: opens the host page in a Playwright page, reaches into
 * the tab's frame, and reads or drives the host (theme changes, the Save of the configuration dialog).
 */

type EmulatorWindow = Window & { teamsHostEmulator?: TeamsHostControl };

export class EmulatedTeams {
  private constructor(
    readonly page: Page,
    private readonly tabOrigin: string,
  ) {}

  /** Opens the emulated Teams client framing the tab at `config.tabUrl`. */
  static async open(page: Page, emulator: TeamsHostEmulator, config: HostPageConfig): Promise<EmulatedTeams> {
    await page.goto(emulator.url(config));
    await page.waitForFunction(() => (window as EmulatorWindow).teamsHostEmulator !== undefined);
    return new EmulatedTeams(page, new URL(config.tabUrl).origin);
  }

  /** The tab, for locators. */
  get tab(): FrameLocator {
    return this.page.frameLocator('iframe#tab');
  }

  /** The tab's frame, for evaluating scripts in it (axe-core). */
  tabFrame(): Frame {
    const frame = this.page.frames().find((f) => f.url().startsWith(this.tabOrigin));
    if (!frame) throw new Error(`no frame from ${this.tabOrigin} in the host page`);
    return frame;
  }

  state(): Promise<TeamsHostState> {
    return this.page.evaluate(() => {
      const host = (window as EmulatorWindow).teamsHostEmulator;
      if (!host) throw new Error('the host page is not running');
      return host.state();
    });
  }

  /** Waits until the tab has sent `func` (the n-th time, from 1), and returns that message. */
  async waitForMessage(func: string, nth = 1): Promise<RecordedMessage> {
    const handle = await this.page.waitForFunction(
      ([name, count]) => {
        const messages = (window as EmulatorWindow).teamsHostEmulator?.state().messages ?? [];
        return messages.filter((m) => m.func === name)[count - 1];
      },
      [func, nth] as const,
    );
    return (await handle.jsonValue()) as RecordedMessage;
  }

  /** Waits until the tab has registered a handler for `event` (themeChange, save, …). */
  async waitForHandler(event: string): Promise<void> {
    await this.page.waitForFunction(
      (name) => (window as EmulatorWindow).teamsHostEmulator?.state().handlers.includes(name) === true,
      event,
    );
  }

  /** Switches the Teams theme, once the tab listens for it (as Teams would push it anyway). */
  async setTheme(theme: TeamsTheme): Promise<void> {
    await this.waitForHandler('themeChange');
    await this.page.evaluate((t) => (window as EmulatorWindow).teamsHostEmulator?.setTheme(t), theme);
  }

  /**
   * Selects Teams' Save on the configuration dialog — enabled only once the tab said it is valid —
   * and waits for the tab to answer success or failure. Returns which.
   */
  async save(): Promise<'success' | 'failure'> {
    const button = this.page.locator('#teams-save');
    await button.and(this.page.locator(':enabled')).waitFor();
    const before = (await this.state()).messages.length;
    await button.click();
    const handle = await this.page.waitForFunction(
      (from) =>
        (window as EmulatorWindow).teamsHostEmulator
          ?.state()
          .messages.slice(from)
          .find((m) => m.func === 'settings.save.success' || m.func === 'settings.save.failure')?.func,
      before,
    );
    return (await handle.jsonValue()) === 'settings.save.success' ? 'success' : 'failure';
  }
}
