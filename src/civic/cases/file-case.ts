import { z } from 'zod';
import { PETITION_TYPES, type CaseAttachment, type CaseContact, type CaseEvent, type CaseKind, type CaseStore, type NewCase, type PetitionType } from '../../store/ports/cases';
import { blankAsAbsent, multiLine, parseCaseInput, singleLine } from './case-input';
import { CASE_CATEGORY_IDS, type CaseCategoryId } from './categories';
import { toOfficial, type CaseOutcome } from './notices';
import { normalizeVietnamesePhone } from './phone';

const attachmentSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('image'),
      url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
      platformId: z.string().min(1).max(500).optional(),
    })
    .refine((a) => a.url !== undefined || a.platformId !== undefined, { message: 'url_or_id_required' }),
  z.object({
    type: z.literal('location'),
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    label: singleLine(1, 200).optional(),
  }),
]);

const fileCaseSchema = z
  .object({
    /** only petitions (phản ánh, kiến nghị) are taken in chat */
    kind: z.literal('petition').default('petition'),
    /**
     * phản ánh (feedback) or kiến nghị (proposal). A filing that does not say is feedback: the
     * commune is told of something (a hand-off nobody took files one).
     */
    petitionType: z.enum(PETITION_TYPES).default('feedback'),
    category: z.enum(CASE_CATEGORY_IDS),
    village: singleLine(1, 100),
    content: multiLine(10, 2000),
    attachments: z.array(attachmentSchema).max(10).default([]),
    name: blankAsAbsent(singleLine(1, 100)),
    phone: blankAsAbsent(
      z.string().transform((p, ctx) => normalizeVietnamesePhone(p) ?? (ctx.addIssue({ code: 'custom', message: 'invalid_phone' }), z.NEVER)),
    ),
    /** the consent notice the person agreed to, and when: required with any contact detail */
    consent: z.object({ version: z.string().min(1).max(50), at: z.number().int().nonnegative() }).optional(),
    channel: z.string().min(1).max(50),
    userId: z.string().min(1).max(200),
  })
  .superRefine((input, ctx) => {
    // Silence is not consent (Luật 91/2025 Art. 9): no contact detail is kept without the "Đồng ý".
    if ((input.name !== undefined || input.phone !== undefined) && input.consent === undefined) {
      ctx.addIssue({ code: 'custom', path: ['consent'], message: 'consent_required' });
    }
  });

/** What the petition flow hands over; validated and normalized by `fileCase`. */
export type FileCaseRequest = z.input<typeof fileCaseSchema>;

export interface FileCaseDeps {
  cases: CaseStore;
  /** the official responsible for this category in this village, and a backup; null when no rule matches */
  route(c: { category: CaseCategoryId; village: string }): { assigneeId: string; backupId?: string } | null;
  /** when the answer is due (ms), counted in working days from receipt */
  dueDate(c: { kind: CaseKind; petitionType: PetitionType; category: CaseCategoryId; receivedAt: number }): number;
  now(): number;
}

/**
 * Files a citizen's petition: validates and normalizes it (NFC text, +84 phone, consent with any
 * contact), routes it to a named official (by category and village, whatever its type) and sets its
 * due date (the time limit of its type). Notices: the assignee is told;
 * when routing found nobody, a supervisor is asked to assign it.
 * Throws CaseRuleError('INVALID_CASE_INPUT') with every failing field in `details.issues`.
 */
export async function fileCase(deps: FileCaseDeps, request: FileCaseRequest): Promise<CaseOutcome> {
  const input = parseCaseInput(fileCaseSchema, request);
  const receivedAt = deps.now();
  const route = deps.route({ category: input.category, village: input.village });
  const history: CaseEvent[] = [{ at: receivedAt, by: 'citizen', what: 'received' }];
  const newCase: NewCase = {
    kind: input.kind,
    petitionType: input.petitionType,
    category: input.category,
    village: input.village,
    content: input.content,
    attachments: input.attachments.map(toAttachment),
    channel: input.channel,
    userId: input.userId,
    status: route ? 'assigned' : 'received',
    dueAt: deps.dueDate({ kind: input.kind, petitionType: input.petitionType, category: input.category, receivedAt }),
    createdAt: receivedAt,
    history,
  };
  if (input.consent && (input.name !== undefined || input.phone !== undefined)) {
    const contact: CaseContact = { consentVersion: input.consent.version, consentAt: input.consent.at };
    if (input.name !== undefined) contact.name = input.name;
    if (input.phone !== undefined) contact.phone = input.phone;
    newCase.contact = contact;
  }
  if (route) {
    newCase.assigneeId = route.assigneeId;
    if (route.backupId !== undefined && route.backupId !== route.assigneeId) newCase.backupId = route.backupId;
    history.push({ at: receivedAt, by: 'system', what: 'assigned', officialId: route.assigneeId });
  }
  const created = await deps.cases.create(newCase);
  const notices = route ? [toOfficial(route.assigneeId, 'assigned')] : [{ to: 'supervisor' as const, kind: 'needs_assignee' as const }];
  return { case: created, notices };
}

// Only the fields of the attachment's own type, none left undefined.
function toAttachment(a: z.output<typeof attachmentSchema>): CaseAttachment {
  if (a.type === 'location') return a.label === undefined ? { type: 'location', lat: a.lat, lng: a.lng } : { type: 'location', lat: a.lat, lng: a.lng, label: a.label };
  const image: CaseAttachment = { type: 'image' };
  if (a.url !== undefined) image.url = a.url;
  if (a.platformId !== undefined) image.platformId = a.platformId;
  return image;
}
