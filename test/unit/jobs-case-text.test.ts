import { citizenNoticeText, officialNoticeText, supervisorNoticeText } from '../../src/civic/cases/notice-text';
import type { Case } from '../../src/store/ports';

const dueAt = Date.parse('2026-03-20T17:00+07:00');
const c: Case = {
  id: 'c1', code: 'PA-7K3M9', kind: 'petition', petitionType: 'feedback', category: 'land', village: 'Thôn Đông', content: 'Lấn đất 2 mét.', attachments: [],
  channel: 'zalo', userId: 'u1', status: 'assigned', assigneeId: 'dia-chinh-1', dueAt, createdAt: dueAt - 14 * 86_400_000, updatedAt: dueAt, version: 2, history: [],
};

describe('the words of case notices', () => {
  test('when an official is assigned, then the notice names the case, category, village and due date, and how to accept', () => {
    expect(officialNoticeText('assigned', c, 'Nguyễn Văn Địa')).toBe(
      [
        'Kính gửi đồng chí Nguyễn Văn Địa,',
        'Đồng chí được giao xử lý phản ánh PA-7K3M9 (Đất đai (tranh chấp, lấn chiếm, cấp sổ), Thôn Đông).',
        'Nội dung: Lấn đất 2 mét.',
        'Hạn xử lý: Thứ Sáu, 20/03/2026.',
        'Để nhận xử lý, xin nhắn: NHAN PA-7K3M9',
        'Trân trọng.',
      ].join('\n'),
    );
  });

  test('when the official has accepted, then a reminder tells them how to answer instead', () => {
    const text = officialNoticeText('remind_day_before', { ...c, status: 'in_progress' }, 'Địa');
    expect(text).toContain('17h00, Thứ Sáu, 20/03/2026');
    expect(text).toContain('XONG PA-7K3M9');
  });

  test('when a case is overdue, then the supervisor reads how late it is, who holds it and how to reassign', () => {
    const text = supervisorNoticeText('overdue', c, 'Lê Văn Chủ', { assigneeName: 'Nguyễn Văn Địa', n: 2 });
    expect(text).toContain('đã quá 2 ngày làm việc');
    expect(text).toContain('Cán bộ phụ trách: Nguyễn Văn Địa.');
    expect(text).toContain('GIAO PA-7K3M9 <mã cán bộ>');
  });

  test('when a case is resolved, then the citizen gets the answer, and a long one is cut to fit Zalo', () => {
    const long = { ...c, status: 'resolved' as const, resolution: { answer: 'a'.repeat(3000), by: 'x', at: dueAt } };
    const text = citizenNoticeText('resolved', long);
    expect(text).toContain('đã được giải quyết');
    expect(text.length).toBeLessThan(2000);
    expect(citizenNoticeText('rate_request', long)).toContain('"đánh giá"');
    expect(citizenNoticeText('rate_request', long)).toContain('PA-7K3M9');
  });

  test('when the case is a kiến nghị, then every notice to officials and to the citizen calls it a kiến nghị, never a phản ánh', () => {
    const proposal: Case = { ...c, petitionType: 'proposal', content: 'Đề nghị lắp đèn đường ở ngõ 3.' };
    const texts = [
      officialNoticeText('assigned', proposal, 'Địa'),
      officialNoticeText('remind_half', proposal, 'Địa'),
      officialNoticeText('remind_day_before', proposal, 'Địa'),
      officialNoticeText('status_changed', proposal, 'Địa'),
      supervisorNoticeText('needs_assignee', proposal, 'Chủ'),
      supervisorNoticeText('overdue', proposal, 'Chủ', { n: 1 }),
      citizenNoticeText('assigned', proposal),
      citizenNoticeText('resolved', { ...proposal, status: 'resolved', resolution: { answer: 'Xã sẽ lắp trong quý II.', by: 'x', at: dueAt } }),
      citizenNoticeText('rate_request', { ...proposal, status: 'resolved' }),
    ];
    for (const text of texts) {
      expect(text).toMatch(/[Kk]iến nghị PA-7K3M9/);
      expect(text).not.toMatch(/phản ánh/i);
    }
    expect(officialNoticeText('assigned', proposal, 'Địa')).toContain('Đồng chí được giao xử lý kiến nghị PA-7K3M9');
    expect(citizenNoticeText('assigned', proposal)).toContain('Kiến nghị PA-7K3M9 (Đất đai (tranh chấp, lấn chiếm, cấp sổ), Thôn Đông) của Ông/Bà đã giao cán bộ phụ trách.');
  });

  test('when an old case still carries "[Kiến nghị] " at the head of its content, then the official reads the content once, without it', () => {
    const old: Case = { ...c, petitionType: 'proposal', content: '[Kiến nghị] Đề nghị lắp đèn đường ở ngõ 3.' };
    expect(officialNoticeText('assigned', old, 'Địa')).toContain('\nNội dung: Đề nghị lắp đèn đường ở ngõ 3.\n');
  });
});
