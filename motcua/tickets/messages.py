"""The desk floor's messages to citizens (appointments), registered with the generic outbox
(``notifications``) like the dossiers' own: each kind has its placeholders, a sample, a
default SMS (without diacritics, as carriers require) and an e-mail with diacritics, which
administrators edit and preview under *Mẫu tin nhắn*. None is required: the person may stop
them, and each carries the opt-out link (``{opt_out_url}``) — a number someone else typed
into the booking page can stop what it receives."""

from __future__ import annotations

from motcua.notifications.kinds import MessageKind, kind_register
from motcua.workcalendar.calendar import VN_TZ

FIELDS = {
    "name": "Họ tên người đặt lịch",
    "service": "Dịch vụ đặt lịch",
    "when": "Giờ hẹn (giờ:phút ngày/tháng/năm)",
    "desk": "Nơi đến (cơ quan, bộ phận một cửa)",
    "code": "Mã đặt lịch",
}
SAMPLE = {
    "name": "Nguyễn Văn An",
    "service": "Hộ tịch, chứng thực",
    "when": "08:00 25/11/2026",
    "desk": "UBND xã Khe Sanh",
    "code": "AC3D4FG7",
}
STOP_SMS = " Ngung nhan: {opt_out_url}"
STOP_EMAIL = (
    "\n\n--\nĐây là thư tự động của Bộ phận một cửa, xin đừng trả lời.\n"
    "Ngừng nhận mọi thư không bắt buộc qua địa chỉ này: {opt_out_url}\n"
)


def _kind(name: str, label: str, *, sms: str, subject: str, email: str) -> MessageKind:
    return kind_register(
        MessageKind(
            name=name,
            label=label,
            fields=FIELDS,
            sample=SAMPLE,
            sms=sms + STOP_SMS,
            email_subject=subject,
            email_body=email + STOP_EMAIL,
            shorten=("service", "desk", "name"),
        )
    )


_kind(
    "appointment_booked",
    "Xác nhận đặt lịch hẹn",
    sms="Da dat lich {service} luc {when} tai {desk}. Ma dat lich: {code}. "
    "Nhap ma tai may lay so khi den.",
    subject="Lịch hẹn {code}: {service} lúc {when}",
    email="Kính gửi ông/bà {name},\n\nÔng/bà đã đặt lịch hẹn {service} lúc {when} tại {desk}.\n"
    "Mã đặt lịch: {code}\n\nKhi đến, ông/bà nhập mã này tại máy lấy số để được phục vụ theo "
    "giờ hẹn. Muốn hủy lịch, dùng mã và 4 số cuối điện thoại tại trang đặt lịch.",
)
_kind(
    "appointment_reminder",
    "Nhắc lịch hẹn ngày mai",
    sms="Nhac lich hen {service} luc {when} tai {desk}. Ma dat lich: {code}. "
    "Vui long den dung gio.",
    subject="Nhắc lịch hẹn {code}: {service} lúc {when}",
    email="Kính gửi ông/bà {name},\n\nXin nhắc lịch hẹn {service} của ông/bà lúc {when} tại "
    "{desk}.\nMã đặt lịch: {code}\n\nVui lòng đến đúng giờ và nhập mã tại máy lấy số.",
)
_kind(
    "appointment_cancelled",
    "Đã hủy lịch hẹn",
    sms="Da huy lich hen {service} luc {when} (ma {code}).",
    subject="Đã hủy lịch hẹn {code}",
    email="Kính gửi ông/bà {name},\n\nLịch hẹn {service} lúc {when} tại {desk} (mã {code}) "
    "đã được hủy.",
)


def message_data(appointment) -> dict[str, str]:
    return {
        "name": appointment.name,
        "service": appointment.service.name,
        "when": appointment.starts_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y"),
        "desk": appointment.desk.agency.short_name or appointment.desk.name,
        "code": appointment.code,
    }
