"""The demo catalog: real procedure codes and names (see shared/data/procedures-reference.json),
with documents, fees and internal steps written by us. Illustrative, not legal advice."""

from decimal import Decimal

from motcua.workcalendar.calendar import processing_hours

CCCD = ("Căn cước công dân hoặc giấy tờ tùy thân có ảnh (xuất trình)", 1, 0)
HOUSEHOLD = (
    "Giấy tờ chứng minh nơi cư trú (nếu thông tin chưa có trong CSDL quốc gia về dân cư)",
    0,
    1,
)
POWER_OF_ATTORNEY = ("Văn bản ủy quyền (trường hợp nộp thay)", 1, 0, True)

# code, name, field, levels, time, unit, online, fee (amount, description, exemptions), documents
PROCEDURES = [
    (
        "1.001193",
        "Đăng ký khai sinh",
        "Hộ tịch",
        ["xa"],
        0,
        "same_day",
        "full",
        (0, "Lệ phí đăng ký khai sinh", "Miễn lệ phí khi đăng ký đúng hạn"),
        [
            ("Tờ khai đăng ký khai sinh (theo mẫu)", 1, 0),
            ("Giấy chứng sinh", 1, 0),
            CCCD,
            ("Giấy chứng nhận kết hôn của cha mẹ (nếu có)", 0, 1, True),
            POWER_OF_ATTORNEY,
        ],
    ),
    (
        "1.000894",
        "Đăng ký kết hôn",
        "Hộ tịch",
        ["xa"],
        5,
        "working_days",
        "partial",
        (0, "Lệ phí đăng ký kết hôn", "Miễn lệ phí"),
        [
            ("Tờ khai đăng ký kết hôn (theo mẫu)", 1, 0),
            CCCD,
            ("Giấy xác nhận tình trạng hôn nhân (nếu đăng ký thường trú ở nơi khác)", 1, 0, True),
        ],
    ),
    (
        "1.000656",
        "Đăng ký khai tử",
        "Hộ tịch",
        ["xa"],
        3,
        "working_days",
        "full",
        (0, "Lệ phí đăng ký khai tử", "Miễn khi đăng ký đúng hạn"),
        [
            ("Tờ khai đăng ký khai tử (theo mẫu)", 1, 0),
            ("Giấy báo tử hoặc giấy tờ thay giấy báo tử", 1, 0),
            CCCD,
        ],
    ),
    (
        "1.004873",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Hộ tịch",
        ["xa"],
        3,
        "working_days",
        "full",
        (3000, "Lệ phí cấp giấy xác nhận", "Miễn cho hộ nghèo, người khuyết tật"),
        [("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)", 1, 0), CCCD],
    ),
    (
        "1.004884",
        "Đăng ký lại khai sinh",
        "Hộ tịch",
        ["xa"],
        5,
        "working_days",
        "none",
        (5000, "Lệ phí đăng ký lại khai sinh", ""),
        [
            ("Tờ khai đăng ký lại khai sinh (theo mẫu)", 1, 0),
            ("Bản sao giấy tờ có thông tin khai sinh", 0, 1),
            CCCD,
        ],
    ),
    (
        "1.001022",
        "Đăng ký nhận cha, mẹ, con",
        "Hộ tịch",
        ["xa"],
        3,
        "working_days",
        "none",
        (15000, "Lệ phí đăng ký nhận cha, mẹ, con", ""),
        [
            ("Tờ khai đăng ký nhận cha, mẹ, con (theo mẫu)", 1, 0),
            ("Chứng cứ chứng minh quan hệ cha, mẹ, con", 1, 0),
            CCCD,
        ],
    ),
    (
        "1.004837",
        "Đăng ký giám hộ",
        "Hộ tịch",
        ["xa"],
        3,
        "working_days",
        "none",
        None,
        [("Tờ khai đăng ký giám hộ (theo mẫu)", 1, 0), ("Văn bản cử người giám hộ", 1, 0), CCCD],
    ),
    (
        "1.004845",
        "Đăng ký chấm dứt giám hộ",
        "Hộ tịch",
        ["xa"],
        2,
        "working_days",
        "none",
        None,
        [
            ("Tờ khai đăng ký chấm dứt giám hộ (theo mẫu)", 1, 0),
            ("Giấy tờ chứng minh đủ điều kiện chấm dứt giám hộ", 0, 1),
            CCCD,
        ],
    ),
    (
        "2.000635",
        "Cấp bản sao trích lục hộ tịch",
        "Hộ tịch",
        ["xa", "huyen"],
        0,
        "same_day",
        "full",
        (8000, "Phí cấp bản sao trích lục", "8.000 đồng/bản"),
        [("Tờ khai cấp bản sao trích lục hộ tịch (theo mẫu)", 1, 0), CCCD],
    ),
    (
        "2.000806",
        "Đăng ký kết hôn có yếu tố nước ngoài",
        "Hộ tịch",
        ["huyen", "tinh"],
        15,
        "calendar_days",
        "partial",
        (1000000, "Lệ phí đăng ký kết hôn có yếu tố nước ngoài", ""),
        [
            ("Tờ khai đăng ký kết hôn (theo mẫu)", 1, 0),
            ("Giấy xác nhận tình trạng hôn nhân của bên nước ngoài (hợp pháp hóa lãnh sự)", 1, 0),
            ("Giấy xác nhận không mắc bệnh tâm thần", 1, 0),
            ("Hộ chiếu của bên nước ngoài", 0, 1),
        ],
    ),
    (
        "1.010824",
        "Liên thông đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất",
        "Hộ tịch",
        ["xa"],
        5,
        "working_days",
        "full",
        None,
        [("Tờ khai liên thông (theo mẫu)", 1, 0), ("Giấy báo tử", 1, 0), CCCD],
    ),
    (
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền "
        "của Việt Nam cấp hoặc chứng nhận",
        "Chứng thực",
        ["xa", "huyen"],
        0,
        "same_day",
        "partial",
        (
            2000,
            "Phí chứng thực bản sao",
            "2.000 đ/trang; từ trang thứ 3: 1.000 đ/trang; tối đa 200.000 đ/bản",
        ),
        [("Bản chính giấy tờ cần chứng thực", 1, 0), ("Bản sao cần chứng thực", 0, 1)],
    ),
    (
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản (kể cả điểm chỉ)",
        "Chứng thực",
        ["xa", "huyen"],
        0,
        "same_day",
        "partial",
        (10000, "Phí chứng thực chữ ký", "10.000 đ/trường hợp"),
        [("Giấy tờ, văn bản cần chứng thực chữ ký", 1, 0), CCCD],
    ),
    (
        "2.001019",
        "Chứng thực di chúc",
        "Chứng thực",
        ["xa"],
        2,
        "working_days",
        "none",
        (50000, "Phí chứng thực di chúc", ""),
        [("Dự thảo di chúc", 1, 0), CCCD, ("Giấy tờ về tài sản (nếu có)", 0, 1, True)],
    ),
    (
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến động sản, quyền sử dụng đất, nhà ở",
        "Chứng thực",
        ["xa"],
        2,
        "working_days",
        "none",
        (50000, "Phí chứng thực hợp đồng", ""),
        [
            ("Dự thảo hợp đồng, giao dịch", 1, 0),
            CCCD,
            ("Giấy chứng nhận quyền sử dụng đất hoặc giấy tờ về tài sản", 0, 1),
        ],
    ),
    (
        "1.004222",
        "Đăng ký thường trú",
        "Cư trú",
        ["xa"],
        7,
        "working_days",
        "full",
        (20000, "Lệ phí đăng ký cư trú", "Trực tuyến: 10.000 đ; miễn cho người có công, hộ nghèo"),
        [
            ("Tờ khai thay đổi thông tin cư trú (CT01)", 1, 0),
            ("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", 0, 1),
        ],
    ),
    (
        "1.004194",
        "Đăng ký tạm trú",
        "Cư trú",
        ["xa"],
        3,
        "working_days",
        "full",
        (15000, "Lệ phí đăng ký tạm trú", "Trực tuyến: 7.000 đ"),
        [
            ("Tờ khai thay đổi thông tin cư trú (CT01)", 1, 0),
            ("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", 0, 1),
        ],
    ),
    (
        "1.003197",
        "Xóa đăng ký thường trú",
        "Cư trú",
        ["xa"],
        1,
        "working_days",
        "full",
        None,
        [
            ("Tờ khai thay đổi thông tin cư trú (CT01)", 1, 0),
            ("Giấy tờ chứng minh thuộc trường hợp xóa đăng ký thường trú", 0, 1),
        ],
    ),
    (
        "1.010038",
        "Tách hộ",
        "Cư trú",
        ["xa"],
        5,
        "working_days",
        "full",
        (10000, "Lệ phí tách hộ", "Trực tuyến: 5.000 đ"),
        [
            ("Tờ khai thay đổi thông tin cư trú (CT01)", 1, 0),
            ("Ý kiến đồng ý của chủ hộ (ghi trong tờ khai)", 1, 0),
        ],
    ),
    (
        "1.001612",
        "Đăng ký thành lập hộ kinh doanh",
        "Hộ kinh doanh",
        ["xa", "huyen"],
        3,
        "working_days",
        "full",
        (100000, "Lệ phí đăng ký hộ kinh doanh", ""),
        [
            ("Giấy đề nghị đăng ký hộ kinh doanh (theo mẫu)", 1, 0),
            CCCD,
            ("Biên bản họp thành viên hộ gia đình (nếu các thành viên cùng thành lập)", 0, 1, True),
        ],
    ),
    (
        "2.000720",
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "Hộ kinh doanh",
        ["xa", "huyen"],
        3,
        "working_days",
        "full",
        (50000, "Lệ phí đăng ký thay đổi", ""),
        [
            ("Thông báo thay đổi nội dung đăng ký hộ kinh doanh", 1, 0),
            ("Giấy chứng nhận đăng ký hộ kinh doanh đã cấp", 1, 0),
        ],
    ),
    (
        "2.000575",
        "Tạm ngừng hoạt động hộ kinh doanh",
        "Hộ kinh doanh",
        ["xa", "huyen"],
        3,
        "working_days",
        "full",
        None,
        [("Thông báo tạm ngừng kinh doanh (theo mẫu)", 1, 0)],
    ),
    (
        "1.012812",
        "Hòa giải tranh chấp đất đai",
        "Đất đai",
        ["xa"],
        30,
        "calendar_days",
        "none",
        None,
        [
            ("Đơn đề nghị hòa giải tranh chấp đất đai", 1, 0),
            ("Giấy tờ về quyền sử dụng đất (nếu có)", 0, 1, True),
        ],
    ),
    (
        "1.012784",
        "Tách thửa hoặc hợp thửa đất",
        "Đất đai",
        ["tinh"],
        15,
        "working_days",
        "partial",
        (300000, "Phí thẩm định hồ sơ", "Mức do HĐND tỉnh quy định"),
        [
            ("Đơn đề nghị tách thửa, hợp thửa (theo mẫu)", 1, 0),
            ("Bản vẽ tách thửa, hợp thửa", 1, 0),
            ("Giấy chứng nhận đã cấp", 1, 0),
        ],
    ),
    (
        "1.012783",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "Đất đai",
        ["tinh"],
        7,
        "working_days",
        "partial",
        (50000, "Lệ phí cấp Giấy chứng nhận", "Mức do HĐND tỉnh quy định"),
        [("Đơn đăng ký biến động đất đai (theo mẫu)", 1, 0), ("Giấy chứng nhận đã cấp", 1, 0)],
    ),
    (
        "1.012786",
        "Cấp lại Giấy chứng nhận do bị mất",
        "Đất đai",
        ["tinh"],
        10,
        "working_days",
        "none",
        (50000, "Lệ phí cấp Giấy chứng nhận", ""),
        [
            ("Đơn đề nghị cấp lại Giấy chứng nhận (theo mẫu)", 1, 0),
            ("Giấy xác nhận của Công an xã về việc mất giấy tờ", 1, 0),
        ],
    ),
    (
        "1.009994",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Xây dựng",
        ["xa", "huyen"],
        15,
        "calendar_days",
        "partial",
        (75000, "Lệ phí cấp giấy phép xây dựng", ""),
        [
            ("Đơn đề nghị cấp giấy phép xây dựng (theo mẫu)", 1, 0),
            ("Giấy tờ chứng minh quyền sử dụng đất", 0, 1),
            ("Hai bộ bản vẽ thiết kế xây dựng", 2, 0),
        ],
    ),
    (
        "1.009995",
        "Cấp giấy phép xây dựng sửa chữa, cải tạo nhà ở riêng lẻ",
        "Xây dựng",
        ["xa", "huyen"],
        15,
        "calendar_days",
        "partial",
        (75000, "Lệ phí cấp giấy phép", ""),
        [
            ("Đơn đề nghị cấp giấy phép sửa chữa, cải tạo (theo mẫu)", 1, 0),
            ("Giấy tờ chứng minh quyền sở hữu công trình", 0, 1),
            ("Ảnh chụp hiện trạng", 1, 0),
        ],
    ),
    (
        "1.009996",
        "Gia hạn giấy phép xây dựng",
        "Xây dựng",
        ["xa", "huyen"],
        5,
        "working_days",
        "partial",
        (15000, "Lệ phí gia hạn", ""),
        [("Đơn đề nghị gia hạn giấy phép xây dựng", 1, 0), ("Giấy phép xây dựng đã cấp", 1, 0)],
    ),
    (
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí "
        "chăm sóc, nuôi dưỡng hàng tháng",
        "Bảo trợ xã hội",
        ["xa"],
        22,
        "working_days",
        "none",
        None,
        [
            ("Tờ khai đề nghị trợ giúp xã hội (theo mẫu)", 1, 0),
            CCCD,
            ("Giấy xác nhận khuyết tật (nếu có)", 0, 1, True),
        ],
    ),
    (
        "1.001731",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Bảo trợ xã hội",
        ["xa"],
        10,
        "working_days",
        "none",
        None,
        [("Tờ khai đề nghị hỗ trợ chi phí mai táng (theo mẫu)", 1, 0), ("Giấy chứng tử", 0, 1)],
    ),
    (
        "1.001699",
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        "Bảo trợ xã hội",
        ["xa"],
        25,
        "working_days",
        "none",
        None,
        [
            ("Đơn đề nghị xác định mức độ khuyết tật (theo mẫu)", 1, 0),
            ("Hồ sơ bệnh án, giấy tờ khám, điều trị (nếu có)", 0, 1, True),
        ],
    ),
    (
        "1.010772",
        "Cấp Bằng Tổ quốc ghi công",
        "Người có công",
        ["tinh"],
        20,
        "working_days",
        "none",
        None,
        [("Bản khai của thân nhân liệt sĩ", 1, 0), ("Giấy báo tử trận", 0, 1)],
    ),
    (
        "1.001257",
        "Giải quyết trợ cấp một lần đối với người có thành tích tham gia kháng chiến "
        "được tặng Bằng khen",
        "Người có công",
        ["huyen", "tinh"],
        20,
        "working_days",
        "none",
        None,
        [("Bản khai cá nhân (theo mẫu)", 1, 0), ("Bằng khen (bản sao)", 0, 1)],
    ),
    (
        "1.010801",
        "Xác nhận thông tin về người có công (người tham gia kháng chiến)",
        "Người có công",
        ["xa"],
        5,
        "working_days",
        "none",
        None,
        [("Đơn đề nghị xác nhận", 1, 0), CCCD],
    ),
    (
        "1.001622",
        "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo",
        "Giáo dục và đào tạo",
        ["xa"],
        10,
        "working_days",
        "none",
        None,
        [
            ("Đơn đề nghị hỗ trợ ăn trưa (theo mẫu)", 1, 0),
            ("Giấy tờ chứng minh thuộc hộ nghèo, cận nghèo (nếu có)", 0, 1, True),
        ],
    ),
    (
        "1.000288",
        "Công nhận trường mầm non đạt chuẩn quốc gia",
        "Giáo dục và đào tạo",
        ["tinh"],
        20,
        "working_days",
        "none",
        None,
        [
            ("Tờ trình đề nghị công nhận", 1, 0),
            ("Báo cáo tự đánh giá", 1, 0),
            ("Báo cáo đánh giá ngoài", 1, 0),
        ],
    ),
    (
        "1.004475",
        "Chuyển trường đối với học sinh trung học cơ sở",
        "Giáo dục và đào tạo",
        ["xa"],
        3,
        "working_days",
        "partial",
        None,
        [("Đơn xin chuyển trường của cha mẹ học sinh", 1, 0), ("Học bạ", 1, 0)],
    ),
    (
        "2.001157",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài cư trú tại Việt Nam",
        "Lý lịch tư pháp",
        ["tinh"],
        10,
        "working_days",
        "full",
        (
            200000,
            "Phí cấp Phiếu lý lịch tư pháp",
            "100.000 đ cho sinh viên, người có công, hộ nghèo",
        ),
        [("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (theo mẫu)", 1, 0), CCCD],
    ),
    (
        "1.003622",
        "Cấp giấy phép kinh doanh bán lẻ sản phẩm rượu",
        "Công thương",
        ["xa", "huyen"],
        10,
        "working_days",
        "partial",
        (400000, "Phí thẩm định cấp giấy phép", ""),
        [
            ("Đơn đề nghị cấp giấy phép (theo mẫu)", 1, 0),
            ("Giấy chứng nhận đăng ký hộ kinh doanh", 0, 1),
            ("Giấy tờ chứng minh quyền sử dụng địa điểm kinh doanh", 0, 1),
        ],
    ),
    (
        "2.000190",
        "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "Công thương",
        ["tinh"],
        15,
        "working_days",
        "partial",
        (700000, "Phí thẩm định cơ sở", ""),
        [
            ("Đơn đề nghị cấp giấy chứng nhận (theo mẫu)", 1, 0),
            ("Thuyết minh về cơ sở vật chất, trang thiết bị", 1, 0),
        ],
    ),
    (
        "1.003596",
        "Đăng ký hoạt động tín ngưỡng",
        "Tôn giáo",
        ["xa"],
        15,
        "calendar_days",
        "none",
        None,
        [("Văn bản đăng ký hoạt động tín ngưỡng (theo mẫu)", 1, 0)],
    ),
    (
        "1.000775",
        "Thủ tục thông báo tổ chức lễ hội",
        "Văn hóa",
        ["xa"],
        5,
        "working_days",
        "partial",
        None,
        [("Văn bản thông báo tổ chức lễ hội", 1, 0), ("Chương trình lễ hội", 1, 0)],
    ),
    (
        "1.004648",
        "Đăng ký kê khai số lượng chăn nuôi",
        "Nông nghiệp",
        ["xa"],
        1,
        "working_days",
        "full",
        None,
        [("Mẫu kê khai hoạt động chăn nuôi", 1, 0)],
    ),
]


#: Fields whose demo procedures may also be sent by public post (bưu chính công ích).
POST_FIELDS = {"Đất đai", "Xây dựng", "Hộ kinh doanh", "Lý lịch tư pháp", "Công thương"}


#: The function of the unit that examines a field's dossiers (``Unit.function``): at a
#: commune, land and construction go to Địa chính - Xây dựng, civil status and attestation
#: to Tư pháp - Hộ tịch, social matters to Văn hóa - Xã hội. Other fields go to the agency's
#: first unit (``process.unit_for``).
FIELD_UNITS = {
    "Hộ tịch": "tu-phap",
    "Chứng thực": "tu-phap",
    "Lý lịch tư pháp": "tu-phap",
    "Đất đai": "dia-chinh",
    "Xây dựng": "dia-chinh",
    "Nông nghiệp": "dia-chinh",
    "Bảo trợ xã hội": "van-hoa-xa-hoi",
    "Người có công": "van-hoa-xa-hoi",
    "Giáo dục và đào tạo": "van-hoa-xa-hoi",
    "Văn hóa": "van-hoa-xa-hoi",
    "Tôn giáo": "van-hoa-xa-hoi",
}


def _steps(hours: Decimal, interop: bool, unit_function: str = "chuyen-mon") -> list[dict]:
    """A four-step internal process that fits in ``hours``: desk, specialist (of a unit of
    ``unit_function``), leader, desk."""
    share = [Decimal("0.125"), Decimal("0.5"), Decimal("0.25"), Decimal("0.125")]
    budgets = [max(Decimal("0.25"), (hours * s).quantize(Decimal("0.25"))) for s in share]
    while sum(budgets) > hours:  # rounding up may overshoot a very short procedure
        budgets[1] -= Decimal("0.25")
    names = [
        ("Tiếp nhận, kiểm tra hồ sơ và chuyển xử lý", "desk_officer", ""),
        (
            "Thẩm định hồ sơ, dự thảo kết quả" + (" và chuyển liên thông" if interop else ""),
            "specialist",
            unit_function,
        ),
        ("Xem xét, ký duyệt kết quả", "agency_leader", ""),
        ("Vào sổ, trả kết quả cho tổ chức, công dân", "desk_officer", ""),
    ]
    return [
        {"name": n, "role": r, "unit_function": f, "budget_hours": str(b)}
        for (n, r, f), b in zip(names, budgets, strict=True)
    ]


def catalog_records() -> list[dict]:
    records = []
    for code, name, field, levels, time, unit, online, fee, documents in PROCEDURES:
        interop = "liên thông" in name.lower()
        records.append(
            {
                "code": code,
                "name": name,
                "fields": [field],
                "agency_levels": levels,
                "processing_time": str(time),
                "time_unit": unit,
                "online_level": online,
                "applicants": "Cá nhân, tổ chức",
                "result_document": f"Kết quả giải quyết thủ tục {name[0].lower()}{name[1:]}",
                "legal_basis": "Nghị định 118/2025/NĐ-CP về thực hiện thủ tục hành chính theo cơ "
                "chế một cửa, một cửa liên thông.\nCác văn bản chuyên ngành của "
                "lĩnh vực " + field + ".",
                "description": "Bước 1: Nộp hồ sơ tại Bộ phận tiếp nhận và trả kết quả hoặc trực "
                "tuyến.\nBước 2: Cơ quan có thẩm quyền giải quyết.\nBước 3: Nhận kết "
                "quả tại Bộ phận một cửa, qua bưu chính hoặc trực tuyến.",
                "is_interop": interop,
                "interop_level": "tinh" if interop else "",
                "post_allowed": field in POST_FIELDS,
                "decision": "Quyết định công bố danh mục TTHC (dữ liệu trình diễn)",
                "documents": [
                    {
                        "name": d[0],
                        "originals": d[1],
                        "copies": d[2],
                        "optional": len(d) > 3 and d[3],
                    }
                    for d in documents
                ],
                "fees": [{"amount": fee[0], "description": fee[1], "exemptions": fee[2]}]
                if fee
                else [],
                "steps": _steps(
                    processing_hours(time, unit), interop, FIELD_UNITS.get(field, "chuyen-mon")
                ),
            }
        )
    return records
