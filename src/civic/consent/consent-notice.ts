/**
 * The notice a citizen agrees to before the bot asks for a phone number, CCCD number or address
 * (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, NĐ 356/2025/NĐ-CP): who collects what, why, for how
 * long, and the person's rights. Consent is stored with the version of the text that was shown,
 * so change the version whenever the text changes.
 */
export const CONSENT_NOTICE_VERSION = 'consent-notice-2026-01';

export const CONSENT_NOTICE: Readonly<{ vi: string; en: string }> = {
  vi:
    'UBND xã cần số điện thoại, họ tên và địa chỉ của anh/chị chỉ để giải quyết việc anh/chị vừa yêu cầu ' +
    '(hồ sơ, lịch hẹn hoặc phản ánh) và báo kết quả. Thông tin được lưu trong thời gian giải quyết việc này ' +
    'và theo quy định lưu trữ. Anh/chị có quyền từ chối, xem, sửa hoặc yêu cầu xóa dữ liệu (nhắn "xóa dữ liệu của tôi"). ' +
    'Vui lòng không gửi ảnh giấy tờ tùy thân qua tin nhắn. Anh/chị có đồng ý không?',
  en:
    "The commune People's Committee needs your phone number, name and address only to handle what you just asked for " +
    '(a file, an appointment or a petition) and to tell you the result. It is kept while this is handled and as the ' +
    'records rules require. You may refuse, view, correct or ask us to delete it (send "delete my data"). ' +
    'Please do not send photos of ID documents in chat. Do you agree?',
};
