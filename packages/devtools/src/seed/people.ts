import { checkCharacter } from '@anju/kit';
import type { Rng } from './prng';

/**
 * Names, ethnic groups (民族) and ID numbers of generated residents. Ethnic groups follow
 * Yunnan's census proportions (2020: 汉族 about two thirds, 彝族 about a ninth, then 哈尼族,
 * 白族, 傣族, 壮族, 苗族, 回族, 傈僳族, 拉祜族, 佤族 …).
 */
export const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['汉族', 66.0],
  ['彝族', 11.1],
  ['哈尼族', 3.6],
  ['白族', 3.4],
  ['傣族', 2.7],
  ['壮族', 2.6],
  ['苗族', 2.6],
  ['回族', 1.5],
  ['傈僳族', 1.5],
  ['拉祜族', 1.0],
  ['佤族', 0.9],
  ['纳西族', 0.7],
  ['瑶族', 0.5],
  ['藏族', 0.3],
  ['景颇族', 0.3],
  ['布朗族', 0.3],
  ['布依族', 0.1],
  ['普米族', 0.1],
  ['阿昌族', 0.1],
  ['怒族', 0.1],
  ['基诺族', 0.05],
  ['德昂族', 0.05],
  ['蒙古族', 0.05],
  ['水族', 0.05],
  ['满族', 0.05],
  ['独龙族', 0.02],
];

/** The language a demand may need besides Mandarin, by ethnic group. */
export const LANGUAGE_OF: Record<string, string> = {
  彝族: '彝语',
  哈尼族: '哈尼语',
  白族: '白语',
  傣族: '傣语',
  壮族: '壮语',
  苗族: '苗语',
  傈僳族: '傈僳语',
  拉祜族: '拉祜语',
  佤族: '佤语',
  纳西族: '纳西语',
  瑶族: '瑶语',
  藏族: '藏语',
  景颇族: '景颇语',
};

const SURNAMES: readonly (readonly [string, number])[] = [
  ['李', 9],
  ['王', 7],
  ['张', 7],
  ['杨', 8],
  ['刘', 5],
  ['陈', 5],
  ['赵', 4],
  ['罗', 4],
  ['周', 3],
  ['吴', 3],
  ['黄', 3],
  ['何', 3],
  ['马', 3],
  ['朱', 2],
  ['高', 2],
  ['孙', 2],
  ['胡', 2],
  ['段', 2],
  ['鲁', 1],
  ['陶', 1],
  ['普', 1],
  ['龙', 1],
  ['熊', 1],
  ['钱', 1],
  ['苏', 1],
  ['邓', 2],
  ['沈', 1],
  ['施', 1],
  ['肖', 1],
  ['蒋', 1],
  ['徐', 1],
  ['许', 1],
  ['郭', 2],
  ['韩', 1],
  ['唐', 1],
  ['曾', 1],
  ['彭', 1],
  ['余', 1],
  ['付', 1],
  ['字', 1],
];
const BY_ETHNICITY: Record<string, readonly string[]> = {
  彝族: ['李', '杨', '普', '沙', '阿', '罗', '毕', '苏', '龙', '王'],
  白族: ['段', '杨', '赵', '李', '张', '董', '尹', '字'],
  傈僳族: ['余', '和', '褚', '蜂', '麻', '密', '胡'],
  纳西族: ['和', '木', '杨', '李'],
  回族: ['马', '纳', '沙', '白', '丁', '保'],
  苗族: ['王', '杨', '陶', '熊', '项', '侯', '马'],
  哈尼族: ['李', '白', '卢', '陈', '马', '杨'],
  壮族: ['农', '黄', '陆', '韦', '王', '沈'],
  藏族: ['扎西', '格桑', '次仁', '达瓦'],
};
const MALE = '伟强军平勇杰斌涛明华建国志刚文俊荣贵福林海成忠德才云发富祥亮兵开正光永顺金宝龙进';
const FEMALE = '芳丽娟秀英兰红艳霞琼梅玲萍燕珍花美凤春丹娇翠莲仙桂香琴玉琳菊月';
const DAI_MALE = ['岩温', '岩罕', '岩香', '岩保', '岩应', '岩坎', '岩叫', '岩甩'];
const DAI_FEMALE = ['玉香', '玉罕', '玉应', '玉叫', '玉坎', '玉光', '玉儿', '玉帕'];

export function personName(r: Rng, ethnicity: string, gender: 'male' | 'female', familySurname?: string): string {
  if (ethnicity === '傣族' || ethnicity === '布朗族' || ethnicity === '德昂族')
    return r.pick(gender === 'male' ? DAI_MALE : DAI_FEMALE);
  if (ethnicity === '拉祜族')
    return `${gender === 'male' ? '扎' : '娜'}${r.pick(['发', '约', '妥', '倮', '儿', '体', '丕', '努'])}`;
  if (ethnicity === '佤族') {
    // The draws in the same order as before: given name, then the optional second syllable.
    const given = r.pick(['嘎', '块', '那', '惹', '丁', '门', '不', '布']);
    return `${gender === 'male' ? '岩' : '叶'}${given}${r.chance(0.4) ? r.pick(['勒', '拉', '改']) : ''}`;
  }
  if (ethnicity === '景颇族') {
    const first = gender === 'male' ? r.pick(['排', '岳', '何', '祁']) : r.pick(['木', '勒', '岳']);
    return `${first}${r.pick(['腊', '早', '南', '干', '诺', '都'])}`;
  }
  const surname = familySurname ?? surnameFor(r, ethnicity);
  const pool = gender === 'male' ? MALE : FEMALE;
  const given = r.chance(0.7)
    ? pool[r.int(0, pool.length - 1)] + pool[r.int(0, pool.length - 1)]
    : pool[r.int(0, pool.length - 1)];
  return surname + given;
}

export function surnameFor(r: Rng, ethnicity: string): string {
  const own = BY_ETHNICITY[ethnicity];
  return own && r.chance(0.7) ? r.pick(own) : r.weighted(SURNAMES);
}

export function surnameOf(name: string): string {
  return ['扎西', '格桑', '次仁', '达瓦'].find((s) => name.startsWith(s)) ?? name[0];
}

/**
 * An ID number (GB 11643): the county's code, the birth date, a sequence whose last digit is odd
 * for men and even for women, and the check character from the kit. `taken` keeps the first 17
 * characters already used, so that no two residents share a number.
 */
export function nationalId(
  county: string,
  birthDate: string,
  gender: 'male' | 'female',
  r: Rng,
  taken: Set<string>,
): string {
  const ymd = birthDate.replace(/-/g, '');
  let seq = r.int(0, 499) * 2 + (gender === 'male' ? 1 : 0);
  for (let tries = 0; ; tries++) {
    const first17 = `${county}${ymd}${String(seq).padStart(3, '0')}`;
    if (!taken.has(first17)) {
      taken.add(first17);
      return first17 + checkCharacter(first17);
    }
    if (tries > 500) throw new Error(`no free ID sequence for ${county} ${birthDate}`);
    seq = (seq + 2) % 1000;
  }
}

const PHONE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '173',
  '177',
  '180',
  '181',
  '182',
  '183',
  '187',
  '188',
  '189',
  '199',
];

export function mobilePhone(r: Rng): string {
  return `${r.pick(PHONE_PREFIXES)}${String(r.int(0, 99_999_999)).padStart(8, '0')}`;
}
