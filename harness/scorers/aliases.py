"""The small, documented list of other ways to name a subject, for `relevance:on_topic`.

Each group holds words that name the same subject (synonyms, British/American spellings, the
usual translation, the character a Chinese poem uses instead of the full word). A subject term
from a request is mentioned when the answer contains the term itself, one of its inflections
(English words are stemmed, harness/scorers/terms.py), or any member of the term's group here.
Groups are deliberately narrow: "sea" and "ocean" name one subject, "sea" and "beach" do not.
"""

from __future__ import annotations

ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    # nature and seasons
    ("sea", "ocean", "seas", "oceans", "waves", "tide", "海", "大海", "海洋", "浪", "海浪", "潮"),
    ("mountain", "mountains", "peak", "summit", "山", "高山", "群山", "山峰"),
    ("autumn", "fall", "秋", "秋天", "秋季", "秋日"),
    ("spring", "springtime", "春", "春天", "春季", "春日"),
    ("summer", "summertime", "夏", "夏天", "夏季", "夏日"),
    ("winter", "wintertime", "冬", "冬天", "冬季", "冬日"),
    ("moon", "lunar", "natural satellite", "月", "月亮", "明月", "月球"),
    ("sun", "solar", "our star", "太阳", "日"),
    ("rain", "rainy", "raindrops", "雨", "下雨", "雨水"),
    ("snow", "snowy", "snowflakes", "雪", "下雪", "雪花"),
    ("river", "rivers", "stream", "河", "江", "河流"),
    ("tree", "trees", "树", "树木"),
    ("flower", "flowers", "blossom", "花", "花朵"),
    # people
    ("grandmother", "grandma", "granny", "nana", "grandmom", "奶奶", "祖母", "外婆", "姥姥"),
    ("grandfather", "grandpa", "granddad", "爷爷", "祖父", "外公", "姥爷"),
    ("mother", "mom", "mum", "mommy", "mummy", "妈妈", "母亲", "妈"),
    ("father", "dad", "daddy", "爸爸", "父亲", "爸"),
    ("neighbor", "neighbour", "neighbors", "neighbours", "邻居"),
    ("teacher", "teachers", "professor", "老师", "教师"),
    ("friend", "friends", "friendship", "朋友", "友谊", "友情"),
    ("child", "children", "kid", "kids", "孩子", "儿童", "小朋友"),
    # feelings and occasions
    ("thank", "thanks", "thank-you", "grateful", "gratitude", "appreciate", "appreciation", "感谢", "谢谢", "感激", "谢意", "致谢"),
    ("congratulate", "congratulations", "祝贺", "恭喜"),
    ("apology", "apologize", "apologise", "sorry", "道歉", "抱歉", "对不起"),
    ("birthday", "生日"),
    # animals
    ("cat", "cats", "kitten", "kitty", "猫", "小猫", "猫咪"),
    ("dog", "dogs", "puppy", "pup", "狗", "小狗", "狗狗"),
    ("bird", "birds", "鸟", "小鸟", "鸟儿"),
    ("panda", "pandas", "giant panda", "熊猫", "大熊猫", "国宝", "滚滚"),
    # spellings
    ("color", "colour", "颜色"),
    ("favorite", "favourite", "最喜欢"),
    ("center", "centre", "中心"),
    # programming words, for code answers to a Chinese request (identifiers are English)
    ("reverse", "reversed", "反转", "倒序", "逆序"),
    ("string", "str", "text", "字符串"),
    ("prime", "primes", "素数", "质数"),
    ("palindrome", "回文"),
    ("factorial", "阶乘"),
    ("fibonacci", "fib", "斐波那契"),
    ("vowel", "vowels", "元音"),
    ("average", "mean", "平均", "平均值", "平均数"),
    ("sort", "sorted", "sorting", "排序"),
    ("maximum", "max", "largest", "最大", "最大值"),
    ("minimum", "min", "smallest", "最小", "最小值"),
    ("celsius", "摄氏", "摄氏度"),
    ("fahrenheit", "华氏", "华氏度"),
    # a few countries and cities, for answers in the other language
    ("china", "chinese", "中国"),
    ("france", "french", "法国"),
    ("japan", "japanese", "日本", "land of the rising sun"),
    ("germany", "german", "德国"),
    ("beijing", "北京"),
    ("paris", "巴黎"),
    ("tokyo", "东京"),
    # well-known other names: a writer who avoids repeating the subject reaches for these first
    ("北京", "帝都", "京城", "北平"),
    ("上海", "魔都", "申城", "沪上"),
    ("成都", "蓉城", "锦官城"),
    ("广州", "羊城", "花城"),
    ("重庆", "山城", "雾都"),
    ("南京", "金陵"),
    ("西安", "长安"),
    ("哈尔滨", "冰城"),
    ("香港", "东方之珠"),
    ("鲁迅", "周树人"),
    ("netherlands", "holland", "荷兰"),
    ("jupiter", "gas giant", "木星"),
    ("mars", "red planet", "火星", "红色星球"),
    ("federal reserve", "fed", "美联储"),
    ("dna", "deoxyribonucleic acid", "脱氧核糖核酸"),
    ("rna", "ribonucleic acid", "核糖核酸"),
    ("gdp", "gross domestic product", "国内生产总值"),
    ("cpi", "consumer price index", "消费者价格指数"),
    ("colosseum", "flavian amphitheatre", "flavian amphitheater", "罗马斗兽场", "斗兽场"),
    ("water", "h2o", "h₂o"),
    ("nasa", "national aeronautics and space administration", "美国国家航空航天局"),
    ("world health organization", "世界卫生组织", "世卫组织"),
    ("united nations", "联合国"),
    ("european union", "欧盟"),
    ("uk", "united kingdom", "britain", "英国"),
    ("usa", "united states", "america", "美国"),
)
