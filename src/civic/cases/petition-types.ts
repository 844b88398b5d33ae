import { LEGACY_TYPE_LEAD, PETITION_TYPES, type Case, type PetitionType } from '../../store/ports/cases';
import type { Locale } from '../../shared/locale';

export { PETITION_TYPES, isPetitionType, type PetitionType } from '../../store/ports/cases';

/**
 * The two petition types in words: `vi`/`en` as a heading ("Phản ánh"), `viInSentence` inside a
 * Vietnamese sentence ("… được giao xử lý kiến nghị PA-…").
 */
export const PETITION_TYPE_NAMES: Record<PetitionType, { vi: string; en: string; viInSentence: string }> = {
  feedback: { vi: 'Phản ánh', en: 'Feedback', viInSentence: 'phản ánh' },
  proposal: { vi: 'Kiến nghị', en: 'Proposal', viInSentence: 'kiến nghị' },
};

/** "Phản ánh" / "Kiến nghị" ('vi'), "Feedback" / "Proposal" ('en'). */
export function petitionTypeName(type: PetitionType, locale: Locale): string {
  return PETITION_TYPE_NAMES[type][locale];
}

/** "phản ánh" / "kiến nghị": the type inside a Vietnamese sentence. */
export function petitionTypeInSentence(type: PetitionType): string {
  return PETITION_TYPE_NAMES[type].viInSentence;
}

/**
 * The citizen's words of a case, without the "[Phản ánh] " or "[Kiến nghị] " lead that cases filed
 * before the type was a field carry: the type is shown on its own now, never twice.
 */
export function petitionContent(c: Pick<Case, 'content'>): string {
  return c.content.replace(LEGACY_TYPE_LEAD, '');
}

/** Every type, for lists and filters: `[{ id: 'feedback', vi: 'Phản ánh', en: 'Feedback' }, …]`. */
export const PETITION_TYPE_LIST = PETITION_TYPES.map((id) => ({ id, vi: PETITION_TYPE_NAMES[id].vi, en: PETITION_TYPE_NAMES[id].en }));
