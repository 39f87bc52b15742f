// Word lists for demo books: common Chinese surnames and given names, cities and company words, mobile
// prefixes, banks with a real card BIN and card length, ISP address blocks, and the notes the platform
// writes. Only the look is real; every person, company, phone and card number is made up.

// prettier-ignore
export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
  '石', '廖', '贾', '夏', '韦', '付', '方', '白', '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯',
  '欧阳', '司马', '上官', '诸葛',
];

// prettier-ignore
export const GIVEN_NAMES = [
  '伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞',
  '平', '刚', '桂英', '建华', '文', '华', '红', '玉兰', '鹏', '辉', '婷', '雪', '宇', '浩', '欣怡', '子涵', '梓萱', '一诺', '子轩', '浩然',
  '雨桐', '思远', '晓东', '海燕', '志强', '建国', '丹', '慧', '琳', '颖', '博文', '嘉怡', '俊杰', '晨', '宁', '佳琪', '梦瑶', '天宇', '昊', '悦',
];

// prettier-ignore
export const CITIES = [
  '杭州', '深圳', '广州', '成都', '武汉', '南京', '苏州', '西安', '重庆', '长沙', '厦门', '青岛', '合肥', '郑州', '天津', '上海', '北京', '宁波',
  '福州', '济南',
];

// prettier-ignore
export const COMPANY_WORDS = [
  '云帆', '星河', '锦程', '华信', '鼎盛', '博远', '瑞丰', '天拓', '启明', '恒泰', '优创', '聚力', '蓝海', '新锐', '嘉禾', '万象', '远航', '盛世',
  '智汇', '悦动', '青橙', '米果', '橙光', '乐享',
];

export const COMPANY_KINDS = ['科技有限公司', '贸易有限公司', '文化传媒有限公司'];

// prettier-ignore
export const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '180', '181', '182', '183', '186', '187', '188', '189'];

export const AREA_CODES = ['010', '021', '020', '0755', '0571', '028', '027', '025', '0512', '029', '023', '0731', '0592', '0532'];

/** Banks with one of their debit-card BINs and that card's length (the last digit is a Luhn check digit). */
export const BANKS: { name: string; bin: string; length: number }[] = [
  { name: '中国工商银行', bin: '622202', length: 19 },
  { name: '中国建设银行', bin: '621700', length: 19 },
  { name: '中国农业银行', bin: '622848', length: 19 },
  { name: '中国银行', bin: '621661', length: 19 },
  { name: '交通银行', bin: '622262', length: 19 },
  { name: '招商银行', bin: '622588', length: 16 },
  { name: '中国邮政储蓄银行', bin: '621799', length: 19 },
  { name: '兴业银行', bin: '622909', length: 18 },
  { name: '上海浦东发展银行', bin: '622521', length: 16 },
  { name: '中信银行', bin: '622690', length: 16 },
  { name: '中国民生银行', bin: '622622', length: 16 },
  { name: '平安银行', bin: '623058', length: 19 },
  { name: '中国光大银行', bin: '622660', length: 16 },
  { name: '华夏银行', bin: '622630', length: 16 },
];

/** First octets of address blocks Chinese ISPs hand out. */
// prettier-ignore
export const IP_FIRST_OCTETS = [36, 39, 42, 49, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 171, 175, 180, 182, 183, 218, 219, 220, 221, 222, 223];

/** IPv6 prefixes of the big three carriers (telecom, unicom, mobile). */
export const IPV6_PREFIXES = ['240e', '2408', '2409'];

export const PERSON_ACCOUNT_NAMES = ['主号', '小号', '直播号', '游戏号'];
export const COMPANY_ACCOUNT_NAMES = ['运营', '直播一部', '客服', '市场部'];

export const EARNING_NOTES = ['直播收益', '礼物分成', '任务奖励', '推广佣金', '内容激励', '活动奖金'];
export const SPEND_NOTES = ['购买礼物', '会员续费', '道具兑换', '打赏主播', '开通贵族', '购买表情包'];

export const EMAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'sina.com', 'foxmail.com'];
