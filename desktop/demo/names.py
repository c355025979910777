"""Invented but believable Chinese names of people and places."""

from __future__ import annotations

import random

# The most common surnames, roughly in order of frequency; earlier ones are drawn more often.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤普杞字鲁"
)
_SURNAME_WEIGHTS = [1.0 / (i + 8) for i in range(len(SURNAMES))]

MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞斌波宇浩凯健俊帆帅旭宁龙林国建文志永春海东云峰成"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英华慧巧美娅玲燕萍红梅琳雪莉倩婷颖琴兰凤洁荣佳怡欣蕾"
SHARED_CHARS = "晓子家思雨天德学正金玉光荣春秋永明"

PLACE_FIRST = "桃柳松竹梅兰石金银铜铁青白黄红碧清新长永安宁太平和丰龙凤马鹿象狮云雾草花河江溪湖泉塘坝岭坡坪沟"
PLACE_SECOND = "源溪山坝江桥街坪营庄寨河水田岭湾口城关屯铺渡岗塘堡林湖"
COUNTY_NAMES = ("清溪", "南屏", "云岭", "石泉", "青峰", "白沙", "临川", "宁远", "丰乐", "安平")


class NameMaker:
    """Draws names from a seeded generator and never repeats a place name within its scope."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(self, sex: str) -> str:
        surname = self.rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
        pool = (MALE_CHARS if sex == "M" else FEMALE_CHARS) + SHARED_CHARS
        given = self.rng.choice(pool)
        if self.rng.random() < 0.7:
            given += self.rng.choice(pool)
        return surname + given

    def place(self, used: set[str], suffix: str) -> str:
        for _ in range(1000):
            name = self.rng.choice(PLACE_FIRST) + self.rng.choice(PLACE_SECOND)
            if name[0] != name[1] and name not in used:
                used.add(name)
                return name + suffix
        raise RuntimeError("ran out of place names")
