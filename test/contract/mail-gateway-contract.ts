import { InvalidMailError, type MailGateway, type OutgoingMail } from '@cosell/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/*
 * What every MailGateway adapter guarantees (the embedded outbox, Graph sendMail). The messages that really
 * left are observed where each adapter delivers them: the outbox's own list, the Graph emulator's mailbox.
 */

export interface Delivered {
  key: string;
  to: string[];
  cc: string[];
  subject: string;
  contentType: 'text' | 'html';
  content: string;
}

export interface OpenedGateway {
  gateway: MailGateway;
  /** Every message that left through the adapter, oldest first. */
  delivered(): Promise<Delivered[]>;
  cleanup(): Promise<void>;
}

export function mail(key: string, fields: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    idempotencyKey: key,
    category: 'escalation',
    planId: 'plan-1',
    to: [{ address: 'priya.raman@vendor.example', name: 'Priya Raman' }],
    subject: `Stalled co-sell plan (${key})`,
    text: 'The plan has stalled since Nov 12, 2026.',
    html: '<p>The plan has stalled since <strong>Nov 12, 2026</strong>.</p>',
    ...fields,
  };
}

export function describeMailGatewayContract(name: string, open: () => Promise<OpenedGateway>): void {
  describe(`MailGateway contract: ${name}`, () => {
    let opened: OpenedGateway;

    beforeEach(async () => {
      opened = await open();
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    it('sends a message once and says so', async () => {
      const sent = await opened.gateway.send(mail('k-1'));
      expect(sent).toEqual({
        idempotencyKey: 'k-1',
        id: expect.stringMatching(/\S/),
        sentAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        duplicate: false,
        activitySent: expect.any(Number),
      });
      const delivered = await opened.delivered();
      expect(delivered).toEqual([
        {
          key: 'k-1',
          to: ['priya.raman@vendor.example'],
          cc: [],
          subject: 'Stalled co-sell plan (k-1)',
          contentType: 'html',
          content: '<p>The plan has stalled since <strong>Nov 12, 2026</strong>.</p>',
        },
      ]);
    });

    it('a second send with the same key sends nothing and answers the first send', async () => {
      const first = await opened.gateway.send(mail('k-2'));
      const again = await opened.gateway.send(mail('k-2', { subject: 'Changed subject' }));
      expect(again.duplicate).toBe(true);
      expect(again.id).toBe(first.id);
      expect(again.sentAt).toBe(first.sentAt);
      expect((await opened.delivered()).map((d) => d.subject)).toEqual(['Stalled co-sell plan (k-2)']);
    });

    it('concurrent sends with one key deliver exactly one message', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => opened.gateway.send(mail('k-3'))));
      expect(results.filter((r) => !r.duplicate).length).toBe(1);
      expect((await opened.delivered()).length).toBe(1);
    });

    it('different keys are different messages', async () => {
      await opened.gateway.send(mail('k-4'));
      await opened.gateway.send(mail('k-5', { cc: [{ address: 'lukas.brandt@vendor.example' }] }));
      const delivered = await opened.delivered();
      expect(delivered.map((d) => d.key)).toEqual(['k-4', 'k-5']);
      expect(delivered[1]?.cc).toEqual(['lukas.brandt@vendor.example']);
    });

    it('a text-only message goes as text', async () => {
      const { html: _html, ...textOnly } = mail('k-6');
      await opened.gateway.send(textOnly);
      expect(await opened.delivered()).toEqual([
        expect.objectContaining({ contentType: 'text', content: 'The plan has stalled since Nov 12, 2026.' }),
      ]);
    });

    it.each([
      ['idempotencyKey', mail('has space')],
      ['idempotencyKey', mail('')],
      ['to', mail('k-7', { to: [] })],
      ['to[0].address', mail('k-8', { to: [{ address: 'not-an-address' }] })],
      ['cc[0].address', mail('k-9', { cc: [{ address: 'a b@x.example' }] })],
      ['subject', mail('k-10', { subject: 'Two\r\nBcc: lines' })],
      ['subject', mail('k-11', { subject: '  ' })],
      ['text', mail('k-12', { text: '' })],
      ['category', mail('k-13', { category: 'Not A Category' })],
    ])('refuses a message with a bad %s, and sends nothing', async (field, message) => {
      const error = await opened.gateway.send(message).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidMailError);
      expect((error as InvalidMailError).field).toBe(field);
      expect(await opened.delivered()).toEqual([]);
    });
  });
}
