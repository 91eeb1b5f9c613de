"""Documented defaults for the shop profile's non-numeric settings (docs/shop.md lists them).

Numeric thresholds are not here: they are the rules' registry ``Param`` s.
"""

from __future__ import annotations

from datetime import timedelta, timezone

#: China time (Asia/Shanghai), the time of naive input times. China has no daylight
#: saving, so a fixed offset is exact.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

#: Kuaishou 快分销: the only main categories an individual business (个体工商户) is admitted in.
INDIVIDUAL_CATEGORIES: tuple[str, ...] = (
    "服饰/鞋靴",
    "儿童服饰/鞋包",
    "箱包/饰品",
    "瑜伽舞蹈/健身/体育/护具",
    "户外/垂钓装备",
    "自行车/电动车/摩托车",
    "运动户外鞋服",
    "汽车用品",
    "图书文娱",
    "宠物生活",
    "工业品(除化学品)",
    "珠宝/钟表(金银饰、玉石、宝石)",
    "鲜花绿植/农资",
    "二手",
    "到店美食",
    "休闲/玩乐",
    "汽车/摩托车服务(二手车/摩托车售卖、二手车/摩托车试驾)",
    "运动健身",
    "宠物店/宠物医院",
    "结婚服务/婚庆",
    "鲜花到店/同城送",
    "医疗/生活美容服务(生活美容)",
)

#: China's provincial-level divisions, by the short name found inside full names and addresses.
PROVINCES: tuple[str, ...] = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
    "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港",
    "澳门",
)  # fmt: skip

REGION_CLASSES: tuple[str, ...] = ("normal", "remote", "very_remote")

#: Region class of each province for fake-shipment signal 2.3; unlisted provinces are "normal".
#: An assumption (PDD's own list was not available offline): the provinces carriers commonly
#: surcharge as remote, with Xinjiang and Tibet the farthest.
DEFAULT_REGIONS: dict[str, str] = {
    "新疆": "very_remote",
    "西藏": "very_remote",
    "青海": "remote",
    "宁夏": "remote",
    "甘肃": "remote",
    "内蒙古": "remote",
    "海南": "remote",
}

#: A chat message whose text starts with one of these is an auto-reply, whoever sent it.
AUTO_REPLY_MARKERS: tuple[str, ...] = ("[自动回复]", "【自动回复】", "[auto-reply]", "[机器人]")

#: A tracking event mentioning one of these, and one of :data:`HUB_KEYWORDS`, is a departure
#: from a sorting hub (signal 2.3). "发往" alone is not: pickup points say it too.
DEPARTURE_KEYWORDS: tuple[str, ...] = ("发出", "离开", "departed", "left")

#: Words naming a sorting hub in a tracking event's place or description.
HUB_KEYWORDS: tuple[str, ...] = (
    "中转", "转运", "分拨", "集散", "分拣", "处理中心", "hub", "sorting",
)  # fmt: skip

#: A tracking event mentioning one of these is at the route's destination (signal 2.5).
DELIVERY_KEYWORDS: tuple[str, ...] = (
    "派送", "派件", "签收", "投递", "代收", "out for delivery", "delivered",
)  # fmt: skip

#: The store-opening documents (issue 5, section 4), by profile key.
DOCUMENTS: dict[str, str] = {
    "business_licence": "营业执照 (business licence)",
    "bank_permit": "开户许可证 (corporate bank-account opening permit)",
    "trademark": "商标注册证 / 商标受理通知书 (trademark certificate or acceptance notice)",
}
