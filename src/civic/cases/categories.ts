/**
 * The petition categories a citizen picks from: the domain notes' suggested taxonomy of rural
 * petitions (vietnam-commune.md §2), with the ids the petition flow already sends. Routing rules
 * and deadlines are keyed by these ids, so an id never changes once cases use it; names may.
 */
import type { Locale } from '../../shared/locale';

export const CASE_CATEGORIES = [
  { id: 'land', vi: 'Đất đai (tranh chấp, lấn chiếm, cấp sổ)', en: 'Land (disputes, encroachment, certificates)' },
  { id: 'land_clearance', vi: 'Bồi thường, giải phóng mặt bằng', en: 'Compensation and land clearance' },
  { id: 'environment', vi: 'Môi trường (rác, chăn nuôi, đốt rơm)', en: 'Environment (waste, livestock, straw burning)' },
  { id: 'public_order', vi: 'An ninh trật tự', en: 'Public order and security' },
  { id: 'infrastructure', vi: 'Hạ tầng, giao thông, điện, thủy lợi', en: 'Roads, power, irrigation' },
  { id: 'social_policy', vi: 'Chính sách xã hội (hộ nghèo, BHYT, trợ cấp, người có công)', en: 'Social policy (poor households, health insurance, allowances, veterans)' },
  { id: 'illegal_building', vi: 'Xây dựng trái phép', en: 'Illegal building' },
  { id: 'staff_conduct', vi: 'Thái độ cán bộ, thủ tục hành chính', en: 'Staff conduct and administrative procedures' },
  { id: 'dykes_disasters', vi: 'Đê điều, thiên tai', en: 'Dykes and natural disasters' },
  { id: 'fishing', vi: 'Nghề cá', en: 'Fishing' },
  { id: 'other', vi: 'Khác', en: 'Other' },
] as const;

export type CaseCategory = (typeof CASE_CATEGORIES)[number];
export type CaseCategoryId = CaseCategory['id'];

export const CASE_CATEGORY_IDS = CASE_CATEGORIES.map((c) => c.id) as [CaseCategoryId, ...CaseCategoryId[]];

export function isCaseCategoryId(value: string): value is CaseCategoryId {
  return (CASE_CATEGORY_IDS as readonly string[]).includes(value);
}

/** The category's name in the citizen's language ('en' for English, else Vietnamese); the id itself if unknown. */
export function caseCategoryName(id: string, locale: Locale): string {
  const found = CASE_CATEGORIES.find((c) => c.id === id);
  return found ? found[locale] : id;
}
