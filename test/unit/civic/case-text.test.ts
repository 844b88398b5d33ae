import { citizenCaseText } from '../../../src/civic/case-text';
import type { Case } from '../../../src/store/ports/cases';

const day = Date.UTC(2026, 2, 2, 3);
const base: Case = {
  id: 'c1', code: 'PA-7K3M9', kind: 'petition', petitionType: 'feedback', category: 'land', village: 'Hòa Lộc', content: 'x', attachments: [],
  channel: 'console', userId: 'u', status: 'in_progress', dueAt: day + 10 * 86400000, createdAt: day, updatedAt: day, version: 3,
  history: [
    { at: day, by: 'citizen', what: 'received' },
    { at: day + 3600000, by: 'system', what: 'assigned', officialId: 'o1' },
    { at: day + 86400000, by: 'o1', what: 'accepted' },
    { at: day + 2 * 86400000, by: 'o1', what: 'note', note: 'only for the commune' },
  ],
};

describe('the citizen\'s own case text (words from locales/<lng>/citizen.json)', () => {
  it('when a case is open, then its heading, status, due date and shown steps are written out', () => {
    expect(citizenCaseText(base, 'vi', day + 3 * 86400000)).toBe(
      'Hồ sơ PA-7K3M9 (Phản ánh) — Đất đai (tranh chấp, lấn chiếm, cấp sổ), thôn Hòa Lộc\nTình trạng: Đang xử lý\nHạn trả lời: Thứ Năm, 12/03/2026\nDiễn biến:\n• 02/03/2026: Xã tiếp nhận\n• 02/03/2026: Giao cán bộ phụ trách\n• 03/03/2026: Cán bộ nhận xử lý',
    );
    expect(citizenCaseText(base, 'en', day + 3 * 86400000)).toBe(
      'Case PA-7K3M9 (Feedback) — Land (disputes, encroachment, certificates), Hòa Lộc\nStatus: Being handled\nAnswer due: Thursday, 12/03/2026\nHistory:\n• 02/03/2026: Received by the commune\n• 02/03/2026: Assigned to an official\n• 03/03/2026: Taken on by the official',
    );
  });

  it('when a case is overdue and its village is written with "Xóm", then the apology is added and no "thôn" is put before it', () => {
    const text = citizenCaseText({ ...base, village: 'Xóm Đông' }, 'vi', day + 12 * 86400000);
    expect(text).toContain(', Xóm Đông\n');
    expect(text).toContain('Hạn trả lời: Thứ Năm, 12/03/2026 (đã quá hạn, xã xin lỗi và đang đôn đốc)\n');
  });

  it('when the answer holds braces or markup, then it is shown as typed, neither escaped nor filled in', () => {
    const resolved: Case = { ...base, status: 'resolved', resolution: { answer: 'Đã sửa {{code}} & <b>', at: day, by: 'o1' }, history: [...base.history, { at: day + 5 * 86400000, by: 'o1', what: 'resolved' }] };
    const text = citizenCaseText(resolved, 'vi', day);
    expect(text).toContain('• 07/03/2026: Xã trả lời\nTrả lời của xã: Đã sửa {{code}} & <b>');
    expect(text).not.toContain('Hạn trả lời');
  });

  it('when a case was declined, then the reason is headed "Lý do" / "Reason"', () => {
    const rejected: Case = { ...base, status: 'rejected', resolution: { answer: 'Không thuộc thẩm quyền', at: day, by: 'o1' }, history: [...base.history, { at: day + 5 * 86400000, by: 'o1', what: 'rejected' }] };
    expect(citizenCaseText(rejected, 'vi', day)).toMatch(/Xã trả lời không tiếp nhận\nLý do: Không thuộc thẩm quyền$/);
    expect(citizenCaseText(rejected, 'en', day)).toMatch(/Declined by the commune\nReason: Không thuộc thẩm quyền$/);
  });
});
