/**
 * The one table of what a case's status is called: `vi`/`en` as a label (the citizen's status line,
 * lists), `viInSentence` after "Phản ánh PA-… của Ông/Bà …" in a notice.
 */
import type { CaseStatus } from '../../store/ports/cases';

export interface StatusWords {
  vi: string;
  en: string;
  viInSentence: string;
}

export const CASE_STATUS_WORDS: Record<CaseStatus, StatusWords> = {
  received: { vi: 'Đã tiếp nhận, đang giao cán bộ phụ trách', en: 'Received, being assigned to an official', viInSentence: 'đã tiếp nhận, đang giao cán bộ phụ trách' },
  assigned: { vi: 'Đã giao cán bộ phụ trách', en: 'Assigned to the official in charge', viInSentence: 'đã giao cán bộ phụ trách' },
  in_progress: { vi: 'Đang xử lý', en: 'Being handled', viInSentence: 'cán bộ đã nhận và đang xử lý' },
  transferred: { vi: 'Đã chuyển cán bộ có thẩm quyền xử lý', en: 'Passed to the competent official', viInSentence: 'đã chuyển cán bộ có thẩm quyền xử lý' },
  resolved: { vi: 'Đã giải quyết', en: 'Resolved', viInSentence: 'đã giải quyết' },
  rejected: { vi: 'Không tiếp nhận xử lý', en: 'Not taken up', viInSentence: 'không tiếp nhận xử lý' },
};
