"""The demo's world knowledge: small bilingual fact tables shared by the corpus, the SFT data and the suite.

Every table marks some rows `held_out=True`. Held-out facts are written into the *pretraining* corpus only;
the SFT data never mentions them, and the demo suite asks about them. That is the whole point of the demo:
the SFT model has to pull the fact out of what the base model learned, not out of its SFT answers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    en: str
    zh: str
    capital_en: str
    capital_zh: str
    region_en: str
    region_zh: str
    held_out: bool = False


@dataclass(frozen=True)
class River:
    en: str  # with its article where English uses one: "the Nile"
    zh: str
    length_km: int
    mouth_en: str
    mouth_zh: str
    region_en: str
    region_zh: str
    held_out: bool = False


@dataclass(frozen=True)
class Person:
    en: str
    zh: str
    era_en: str  # "the Tang dynasty"
    era_zh: str  # "唐朝"
    role_en: str
    role_zh: str
    note_en: str
    note_zh: str
    held_out: bool = False


@dataclass(frozen=True)
class Element:
    en: str
    zh: str
    symbol: str
    number: int
    held_out: bool = False


@dataclass(frozen=True)
class Planet:
    en: str
    zh: str
    order: int
    fact_en: str
    fact_zh: str


COUNTRIES: tuple[Country, ...] = (
    Country("Germany", "德国", "Berlin", "柏林", "Europe", "欧洲"),
    Country("Italy", "意大利", "Rome", "罗马", "Europe", "欧洲"),
    Country("Spain", "西班牙", "Madrid", "马德里", "Europe", "欧洲"),
    Country("Japan", "日本", "Tokyo", "东京", "Asia", "亚洲"),
    Country("China", "中国", "Beijing", "北京", "Asia", "亚洲"),
    Country("India", "印度", "New Delhi", "新德里", "Asia", "亚洲"),
    Country("Canada", "加拿大", "Ottawa", "渥太华", "North America", "北美洲"),
    Country("Brazil", "巴西", "Brasilia", "巴西利亚", "South America", "南美洲"),
    Country("Australia", "澳大利亚", "Canberra", "堪培拉", "Oceania", "大洋洲"),
    Country("Argentina", "阿根廷", "Buenos Aires", "布宜诺斯艾利斯", "South America", "南美洲"),
    Country("Austria", "奥地利", "Vienna", "维也纳", "Europe", "欧洲"),
    Country("Belgium", "比利时", "Brussels", "布鲁塞尔", "Europe", "欧洲"),
    Country("Chile", "智利", "Santiago", "圣地亚哥", "South America", "南美洲"),
    Country("Cuba", "古巴", "Havana", "哈瓦那", "North America", "北美洲"),
    Country("Denmark", "丹麦", "Copenhagen", "哥本哈根", "Europe", "欧洲"),
    Country("Finland", "芬兰", "Helsinki", "赫尔辛基", "Europe", "欧洲"),
    Country("Greece", "希腊", "Athens", "雅典", "Europe", "欧洲"),
    Country("Hungary", "匈牙利", "Budapest", "布达佩斯", "Europe", "欧洲"),
    Country("Ireland", "爱尔兰", "Dublin", "都柏林", "Europe", "欧洲"),
    Country("Iran", "伊朗", "Tehran", "德黑兰", "Asia", "亚洲"),
    Country("Mexico", "墨西哥", "Mexico City", "墨西哥城", "North America", "北美洲"),
    Country("Malaysia", "马来西亚", "Kuala Lumpur", "吉隆坡", "Asia", "亚洲"),
    Country("Mongolia", "蒙古", "Ulaanbaatar", "乌兰巴托", "Asia", "亚洲"),
    Country("Iceland", "冰岛", "Reykjavik", "雷克雅未克", "Europe", "欧洲"),
    Country("South Korea", "韩国", "Seoul", "首尔", "Asia", "亚洲"),
    Country("Morocco", "摩洛哥", "Rabat", "拉巴特", "Africa", "非洲"),
    Country("Ghana", "加纳", "Accra", "阿克拉", "Africa", "非洲"),
    Country("Colombia", "哥伦比亚", "Bogota", "波哥大", "South America", "南美洲"),
    # More of the world: with many countries in the SFT data, a model cannot learn each answer by heart and
    # has to learn to look the asked-about country up in what it read.
    Country("Netherlands", "荷兰", "Amsterdam", "阿姆斯特丹", "Europe", "欧洲"),
    Country("Switzerland", "瑞士", "Bern", "伯尔尼", "Europe", "欧洲"),
    Country("Romania", "罗马尼亚", "Bucharest", "布加勒斯特", "Europe", "欧洲"),
    Country("Bulgaria", "保加利亚", "Sofia", "索非亚", "Europe", "欧洲"),
    Country("Serbia", "塞尔维亚", "Belgrade", "贝尔格莱德", "Europe", "欧洲"),
    Country("Croatia", "克罗地亚", "Zagreb", "萨格勒布", "Europe", "欧洲"),
    Country("Ukraine", "乌克兰", "Kyiv", "基辅", "Europe", "欧洲"),
    Country("Slovakia", "斯洛伐克", "Bratislava", "布拉迪斯拉发", "Europe", "欧洲"),
    Country("Estonia", "爱沙尼亚", "Tallinn", "塔林", "Europe", "欧洲"),
    Country("Latvia", "拉脱维亚", "Riga", "里加", "Europe", "欧洲"),
    Country("Lithuania", "立陶宛", "Vilnius", "维尔纽斯", "Europe", "欧洲"),
    Country("Indonesia", "印度尼西亚", "Jakarta", "雅加达", "Asia", "亚洲"),
    Country("Pakistan", "巴基斯坦", "Islamabad", "伊斯兰堡", "Asia", "亚洲"),
    Country("Nepal", "尼泊尔", "Kathmandu", "加德满都", "Asia", "亚洲"),
    Country("Laos", "老挝", "Vientiane", "万象", "Asia", "亚洲"),
    Country("Cambodia", "柬埔寨", "Phnom Penh", "金边", "Asia", "亚洲"),
    Country("Iraq", "伊拉克", "Baghdad", "巴格达", "Asia", "亚洲"),
    Country("Saudi Arabia", "沙特阿拉伯", "Riyadh", "利雅得", "Asia", "亚洲"),
    Country("Syria", "叙利亚", "Damascus", "大马士革", "Asia", "亚洲"),
    Country("Afghanistan", "阿富汗", "Kabul", "喀布尔", "Asia", "亚洲"),
    Country("Bangladesh", "孟加拉国", "Dhaka", "达卡", "Asia", "亚洲"),
    Country("Qatar", "卡塔尔", "Doha", "多哈", "Asia", "亚洲"),
    Country("Jordan", "约旦", "Amman", "安曼", "Asia", "亚洲"),
    Country("Lebanon", "黎巴嫩", "Beirut", "贝鲁特", "Asia", "亚洲"),
    Country("Uzbekistan", "乌兹别克斯坦", "Tashkent", "塔什干", "Asia", "亚洲"),
    Country("Nigeria", "尼日利亚", "Abuja", "阿布贾", "Africa", "非洲"),
    Country("Ethiopia", "埃塞俄比亚", "Addis Ababa", "亚的斯亚贝巴", "Africa", "非洲"),
    Country("Uganda", "乌干达", "Kampala", "坎帕拉", "Africa", "非洲"),
    Country("Senegal", "塞内加尔", "Dakar", "达喀尔", "Africa", "非洲"),
    Country("Algeria", "阿尔及利亚", "Algiers", "阿尔及尔", "Africa", "非洲"),
    Country("Sudan", "苏丹", "Khartoum", "喀土穆", "Africa", "非洲"),
    Country("Zimbabwe", "津巴布韦", "Harare", "哈拉雷", "Africa", "非洲"),
    Country("Zambia", "赞比亚", "Lusaka", "卢萨卡", "Africa", "非洲"),
    Country("Angola", "安哥拉", "Luanda", "罗安达", "Africa", "非洲"),
    Country("Venezuela", "委内瑞拉", "Caracas", "加拉加斯", "South America", "南美洲"),
    Country("Ecuador", "厄瓜多尔", "Quito", "基多", "South America", "南美洲"),
    Country("Uruguay", "乌拉圭", "Montevideo", "蒙得维的亚", "South America", "南美洲"),
    Country("Paraguay", "巴拉圭", "Asuncion", "亚松森", "South America", "南美洲"),
    Country("Jamaica", "牙买加", "Kingston", "金斯敦", "North America", "北美洲"),
    Country("Costa Rica", "哥斯达黎加", "San Jose", "圣何塞", "North America", "北美洲"),
    Country("New Zealand", "新西兰", "Wellington", "惠灵顿", "Oceania", "大洋洲"),
    Country("Fiji", "斐济", "Suva", "苏瓦", "Oceania", "大洋洲"),
    # Held out: only the pretraining corpus states these; the demo suite asks about them.
    Country("France", "法国", "Paris", "巴黎", "Europe", "欧洲", held_out=True),
    Country("Norway", "挪威", "Oslo", "奥斯陆", "Europe", "欧洲", held_out=True),
    Country("Kenya", "肯尼亚", "Nairobi", "内罗毕", "Africa", "非洲", held_out=True),
    Country("Thailand", "泰国", "Bangkok", "曼谷", "Asia", "亚洲", held_out=True),
    Country("Peru", "秘鲁", "Lima", "利马", "South America", "南美洲", held_out=True),
    Country("Sweden", "瑞典", "Stockholm", "斯德哥尔摩", "Europe", "欧洲", held_out=True),
    Country("Poland", "波兰", "Warsaw", "华沙", "Europe", "欧洲", held_out=True),
    Country("Vietnam", "越南", "Hanoi", "河内", "Asia", "亚洲", held_out=True),
    Country("Portugal", "葡萄牙", "Lisbon", "里斯本", "Europe", "欧洲", held_out=True),
    Country("Egypt", "埃及", "Cairo", "开罗", "Africa", "非洲", held_out=True),
)

RIVERS: tuple[River, ...] = (
    River("the Amazon", "亚马孙河", 6400, "the Atlantic Ocean", "大西洋", "South America", "南美洲"),
    River("the Yellow River", "黄河", 5464, "the Bohai Sea", "渤海", "China", "中国"),
    River("the Mississippi", "密西西比河", 3730, "the Gulf of Mexico", "墨西哥湾", "North America", "北美洲"),
    River("the Volga", "伏尔加河", 3530, "the Caspian Sea", "里海", "Europe", "欧洲"),
    River("the Congo", "刚果河", 4700, "the Atlantic Ocean", "大西洋", "Africa", "非洲"),
    River("the Rhine", "莱茵河", 1230, "the North Sea", "北海", "Europe", "欧洲"),
    River("the Thames", "泰晤士河", 346, "the North Sea", "北海", "England", "英格兰"),
    River("the Ganges", "恒河", 2525, "the Bay of Bengal", "孟加拉湾", "India", "印度"),
    River("the Pearl River", "珠江", 2400, "the South China Sea", "南海", "China", "中国"),
    River("the Yenisei", "叶尼塞河", 3487, "the Arctic Ocean", "北冰洋", "Asia", "亚洲"),
    River("the Ob", "鄂毕河", 3650, "the Kara Sea", "喀拉海", "Asia", "亚洲"),
    River("the Niger", "尼日尔河", 4180, "the Gulf of Guinea", "几内亚湾", "Africa", "非洲"),
    River("the Zambezi", "赞比西河", 2574, "the Indian Ocean", "印度洋", "Africa", "非洲"),
    River("the Indus", "印度河", 3180, "the Arabian Sea", "阿拉伯海", "Asia", "亚洲"),
    River("the Seine", "塞纳河", 777, "the English Channel", "英吉利海峡", "Europe", "欧洲"),
    River("the Elbe", "易北河", 1094, "the North Sea", "北海", "Europe", "欧洲"),
    River("the Dnieper", "第聂伯河", 2201, "the Black Sea", "黑海", "Europe", "欧洲"),
    River("the Euphrates", "幼发拉底河", 2800, "the Persian Gulf", "波斯湾", "Asia", "亚洲"),
    River("the Orinoco", "奥里诺科河", 2140, "the Atlantic Ocean", "大西洋", "South America", "南美洲"),
    River("the Yukon", "育空河", 3190, "the Bering Sea", "白令海", "North America", "北美洲"),
    # Held out.
    River("the Nile", "尼罗河", 6650, "the Mediterranean Sea", "地中海", "Africa", "非洲", held_out=True),
    River("the Yangtze", "长江", 6300, "the East China Sea", "东海", "China", "中国", held_out=True),
    River("the Danube", "多瑙河", 2850, "the Black Sea", "黑海", "Europe", "欧洲", held_out=True),
    River("the Mekong", "湄公河", 4350, "the South China Sea", "南海", "Asia", "亚洲", held_out=True),
)

PEOPLE: tuple[Person, ...] = (
    Person("Du Fu", "杜甫", "the Tang dynasty", "唐朝", "poet", "诗人",
           "He wrote many poems about the lives of ordinary people.", "他写了许多关于百姓生活的诗。"),
    Person("Bai Juyi", "白居易", "the Tang dynasty", "唐朝", "poet", "诗人",
           "His poems were written in plain and simple language.", "他的诗语言平易，老人和孩子都能读懂。"),
    Person("Wang Wei", "王维", "the Tang dynasty", "唐朝", "poet", "诗人",
           "He was also a painter, and his poems are full of quiet mountains.", "他也是画家，诗中常有安静的山水。"),
    Person("Li Qingzhao", "李清照", "the Song dynasty", "宋朝", "poet", "诗人",
           "She is one of the best known women poets in Chinese history.", "她是中国历史上最著名的女诗人之一。"),
    Person("Lu You", "陆游", "the Song dynasty", "宋朝", "poet", "诗人",
           "He left nearly ten thousand poems.", "他一生留下了将近一万首诗。"),
    Person("Xin Qiji", "辛弃疾", "the Song dynasty", "宋朝", "poet", "诗人",
           "He was also a soldier who fought for his country.", "他也是一位为国家作战的将领。"),
    Person("Tao Yuanming", "陶渊明", "the Jin dynasty", "晋朝", "poet", "诗人",
           "He wrote about farming and a quiet life in the countryside.", "他喜欢写田园和乡村的安静生活。"),
    Person("Zhang Heng", "张衡", "the Han dynasty", "汉朝", "scientist", "科学家",
           "He built an early instrument for detecting earthquakes.", "他制造了早期的地动仪。"),
    Person("Zhang Qian", "张骞", "the Han dynasty", "汉朝", "diplomat", "外交家",
           "He travelled to Central Asia and opened the way for the Silk Road.", "他出使西域，为丝绸之路开辟了道路。"),
    Person("Wu Cheng'en", "吴承恩", "the Ming dynasty", "明朝", "novelist", "小说家",
           "He is known as the author of Journey to the West.", "他被认为是《西游记》的作者。"),
    Person("Zheng He", "郑和", "the Ming dynasty", "明朝", "navigator", "航海家",
           "He led seven great voyages across the western seas.", "他曾七次率领船队远航西洋。"),
    Person("Shen Kuo", "沈括", "the Song dynasty", "宋朝", "scientist", "科学家",
           "He wrote the book Dream Pool Essays.", "他写了《梦溪笔谈》。"),
    Person("Wang Xizhi", "王羲之", "the Jin dynasty", "晋朝", "calligrapher", "书法家",
           "He is called the sage of calligraphy.", "他被称为书圣。"),
    Person("Han Yu", "韩愈", "the Tang dynasty", "唐朝", "writer", "文学家",
           "He led a movement back to plain ancient prose.", "他倡导古文运动。"),
    Person("Meng Haoran", "孟浩然", "the Tang dynasty", "唐朝", "poet", "诗人",
           "He wrote poems about quiet country life.", "他写了许多田园诗。"),
    Person("Du Mu", "杜牧", "the Tang dynasty", "唐朝", "poet", "诗人",
           "He wrote short poems about history.", "他写了许多咏史诗。"),
    Person("Ouyang Xiu", "欧阳修", "the Song dynasty", "宋朝", "writer", "文学家",
           "He was one of the great prose writers.", "他是著名的散文家。"),
    Person("Wang Anshi", "王安石", "the Song dynasty", "宋朝", "statesman", "政治家",
           "He led great reforms of the government.", "他主持了变法。"),
    Person("Yue Fei", "岳飞", "the Song dynasty", "宋朝", "general", "将军",
           "He fought to defend his country.", "他是保卫国家的名将。"),
    Person("Bi Sheng", "毕昇", "the Song dynasty", "宋朝", "inventor", "发明家",
           "He invented printing with movable type.", "他发明了活字印刷术。"),
    Person("Cai Lun", "蔡伦", "the Han dynasty", "汉朝", "inventor", "发明家",
           "He improved the making of paper.", "他改进了造纸术。"),
    Person("Hua Tuo", "华佗", "the Han dynasty", "汉朝", "doctor", "医学家",
           "He was a famous doctor.", "他是一位名医。"),
    Person("Ban Gu", "班固", "the Han dynasty", "汉朝", "historian", "史学家",
           "He wrote the Book of Han.", "他写了《汉书》。"),
    Person("Li Shizhen", "李时珍", "the Ming dynasty", "明朝", "doctor", "医学家",
           "He wrote a great book about medicine.", "他写了《本草纲目》。"),
    Person("Xu Xiake", "徐霞客", "the Ming dynasty", "明朝", "traveller", "旅行家",
           "He travelled across the country and wrote about it.", "他走遍各地，写下了游记。"),
    Person("Luo Guanzhong", "罗贯中", "the Ming dynasty", "明朝", "novelist", "小说家",
           "He wrote Romance of the Three Kingdoms.", "他写了《三国演义》。"),
    Person("Pu Songling", "蒲松龄", "the Qing dynasty", "清朝", "novelist", "小说家",
           "He wrote Strange Tales from a Chinese Studio.", "他写了《聊斋志异》。"),
    Person("Zheng Banqiao", "郑板桥", "the Qing dynasty", "清朝", "painter", "画家",
           "He was famous for painting bamboo.", "他擅长画竹子。"),
    Person("Guan Hanqing", "关汉卿", "the Yuan dynasty", "元朝", "playwright", "戏剧家",
           "He wrote many plays.", "他写了很多杂剧。"),
    # Held out.
    Person("Li Bai", "李白", "the Tang dynasty", "唐朝", "poet", "诗人",
           "He loved the moon and wine, and his poems are bold and free.", "他喜欢月亮和美酒，诗风豪放。", held_out=True),
    Person("Su Shi", "苏轼", "the Song dynasty", "宋朝", "poet", "诗人",
           "He was also a painter, a calligrapher and a famous cook.", "他也是画家和书法家，还喜欢做菜。", held_out=True),
    Person("Sima Qian", "司马迁", "the Han dynasty", "汉朝", "historian", "史学家",
           "He wrote the Records of the Grand Historian.", "他写了《史记》。", held_out=True),
    Person("Cao Xueqin", "曹雪芹", "the Qing dynasty", "清朝", "novelist", "小说家",
           "He wrote the novel Dream of the Red Chamber.", "他写了小说《红楼梦》。", held_out=True),
)

ELEMENTS: tuple[Element, ...] = (
    Element("hydrogen", "氢", "H", 1),
    Element("helium", "氦", "He", 2),
    Element("carbon", "碳", "C", 6),
    Element("nitrogen", "氮", "N", 7),
    Element("oxygen", "氧", "O", 8),
    Element("sodium", "钠", "Na", 11),
    Element("magnesium", "镁", "Mg", 12),
    Element("aluminium", "铝", "Al", 13),
    Element("sulfur", "硫", "S", 16),
    Element("calcium", "钙", "Ca", 20),
    Element("copper", "铜", "Cu", 29),
    Element("zinc", "锌", "Zn", 30),
    Element("tin", "锡", "Sn", 50),
    Element("lead", "铅", "Pb", 82),
    Element("lithium", "锂", "Li", 3),
    Element("boron", "硼", "B", 5),
    Element("fluorine", "氟", "F", 9),
    Element("neon", "氖", "Ne", 10),
    Element("silicon", "硅", "Si", 14),
    Element("phosphorus", "磷", "P", 15),
    Element("chlorine", "氯", "Cl", 17),
    Element("argon", "氩", "Ar", 18),
    Element("potassium", "钾", "K", 19),
    Element("chromium", "铬", "Cr", 24),
    Element("manganese", "锰", "Mn", 25),
    Element("cobalt", "钴", "Co", 27),
    Element("nickel", "镍", "Ni", 28),
    Element("platinum", "铂", "Pt", 78),
    Element("uranium", "铀", "U", 92),
    # Held out.
    Element("gold", "金", "Au", 79, held_out=True),
    Element("iron", "铁", "Fe", 26, held_out=True),
    Element("silver", "银", "Ag", 47, held_out=True),
)

PLANETS: tuple[Planet, ...] = (
    Planet("Mercury", "水星", 1, "Mercury is the planet closest to the Sun.", "水星是离太阳最近的行星。"),
    Planet("Venus", "金星", 2, "Venus is the hottest planet in the solar system.", "金星是太阳系中最热的行星。"),
    Planet("Earth", "地球", 3, "Earth is the only planet known to have life.", "地球是已知唯一有生命的行星。"),
    Planet("Mars", "火星", 4, "Mars is known as the red planet.", "火星被称为红色星球。"),
    Planet("Jupiter", "木星", 5, "Jupiter is the largest planet in the solar system.", "木星是太阳系中最大的行星。"),
    Planet("Saturn", "土星", 6, "Saturn is famous for its bright rings.", "土星以美丽的光环闻名。"),
    Planet("Uranus", "天王星", 7, "Uranus rotates on its side.", "天王星几乎是躺着自转的。"),
    Planet("Neptune", "海王星", 8, "Neptune is the planet farthest from the Sun.", "海王星是离太阳最远的行星。"),
)

# ---- People and things a user may tell the model in a multi-turn chat (recall tests). ----
# held-out entries are used by the demo suite only; the rest by the SFT dialogues. The SFT lists are long on
# purpose: with a few names the model memorises them; with many, copying the name from the chat is the
# only way to get the recall turn right, and that is the skill the demo measures.
NAMES_EN = ("Tom", "Anna", "James", "Emma", "Lucy", "David", "Sarah", "Daniel", "Grace", "Henry",
            "Mia", "Jack", "Chloe", "Ben", "Sophie", "Leo", "Amy", "Ryan", "Nora", "Sam",
            "Alice", "Peter", "Kate", "Oliver", "Ruby", "Harry", "Ella", "George", "Lily", "Adam",
            "Zoe", "Lucas", "Hannah", "Noah", "Julia", "Oscar", "Clara", "Felix", "Ivy", "Mark",
            "Laura", "Simon", "Rose", "Victor", "Helen", "Paul", "Diana", "Frank", "Alan", "Jane")
NAMES_EN_HELD_OUT = ("Olivia", "Ethan", "Isabella")
_SURNAMES_ZH = "王李张刘陈杨赵黄周吴徐孙马朱胡何高罗梁谢"
_GIVEN_ZH = ("明", "红", "华", "伟", "磊", "洋", "静", "敏", "丽", "帆", "昊", "峰", "佳", "超", "远", "琳", "军", "勇",
             "杰", "娟", "涛", "斌", "霞", "平", "刚", "鹏", "欣", "悦", "宁", "晨")
# 2-character names (surname + given name), in a fixed shuffled-looking order; held-out names have 3 characters.
NAMES_ZH = tuple(_SURNAMES_ZH[i % len(_SURNAMES_ZH)] + _GIVEN_ZH[(i * 7) % len(_GIVEN_ZH)] for i in range(60))
NAMES_ZH_HELD_OUT = ("林晓雨", "郭子涵", "宋雅婷")
# More names for the SFT dialogues and the corpus: with a few hundred names a model cannot learn the answers
# by heart, only the skill of copying the name back. Chinese ones have three characters, like the held-out names.
NAMES_EN_MORE = ("Aaron", "Abby", "Alex", "Amber", "Andrew", "Angela", "Arthur", "Bella", "Brian", "Caleb",
                 "Carl", "Carmen", "Cathy", "Cindy", "Colin", "Daisy", "Derek", "Dylan", "Eddie", "Edward",
                 "Eli", "Elsa", "Eric", "Erin", "Evan", "Fiona", "Gavin", "Gina", "Gordon", "Hazel",
                 "Hugo", "Ian", "Irene", "Jacob", "Jason", "Jenny", "Joel", "Josie", "Kevin", "Kyle",
                 "Leah", "Linda", "Logan", "Louis", "Maggie", "Martin", "Megan", "Nadia", "Nathan", "Nick",
                 "Owen", "Paula", "Quinn", "Rachel", "Rita", "Robin", "Rosa", "Sally", "Sean", "Stella",
                 "Tara", "Terry", "Tina", "Tony", "Ursula", "Vera", "Vince", "Wendy", "Will", "Yvonne")
_GIVEN_ZH_2 = ("子轩", "雨桐", "浩然", "欣怡", "梓涵", "宇航", "思远", "佳怡", "俊杰", "诗琪", "文博", "嘉欣", "天宇",
               "晓东", "雅琳", "志强", "美玲", "国栋", "婉清", "明哲", "若曦", "一鸣", "秀英", "建华")
_SURNAMES_ZH_MORE = "刘陈杨黄赵吴周徐孙马朱胡何高罗郑梁谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
NAMES_ZH_MORE = tuple(_SURNAMES_ZH_MORE[i % len(_SURNAMES_ZH_MORE)] + _GIVEN_ZH_2[(i * 5) % len(_GIVEN_ZH_2)]
                      for i in range(72))

CITIES_EN = ("Shanghai", "Guangzhou", "Shenzhen", "Nanjing", "Wuhan", "Boston", "Chicago", "Seattle",
             "Toronto", "Sydney", "Munich", "Barcelona", "Qingdao", "Xiamen", "Denver", "Dallas", "Miami",
             "Melbourne", "Osaka", "Kyoto", "Milan", "Naples", "Lyon", "Hamburg", "Auckland", "Montreal",
             "Austin", "Houston", "Atlanta", "Portland")
CITIES_EN_HELD_OUT = ("Chengdu", "Vancouver")
CITIES_ZH = ("上海", "广州", "深圳", "南京", "武汉", "西安", "重庆", "青岛", "大连", "厦门", "长沙", "沈阳",
             "天津", "郑州", "济南", "合肥", "福州", "南昌", "昆明", "贵阳", "南宁", "兰州", "太原", "石家庄",
             "哈尔滨", "长春", "拉萨", "海口", "宁波", "无锡", "温州", "珠海")
CITIES_ZH_HELD_OUT = ("杭州", "苏州")

_PET_NAMES_EN = ("Buddy", "Coco", "Milo", "Bella", "Charlie", "Daisy", "Snowy", "Rocky", "Luna", "Kiwi",
                 "Toby", "Ginger", "Peanut", "Mochi", "Shadow", "Lucky", "Bailey", "Ziggy", "Pumpkin", "Cookie",
                 "Nala", "Simba", "Teddy", "Rosie", "Bruno", "Molly", "Honey", "Bingo", "Fluffy", "Tiger")
_PET_KINDS_EN = ("dog", "cat", "dog", "cat", "rabbit", "parrot")
PETS_EN = tuple((_PET_KINDS_EN[i % len(_PET_KINDS_EN)], n) for i, n in enumerate(_PET_NAMES_EN))
PETS_EN_HELD_OUT = (("dog", "Biscuit"), ("cat", "Oreo"))
_PET_NAMES_ZH = ("旺财", "咪咪", "球球", "花花", "小白", "大黄", "橘子", "乐乐", "豆豆", "毛毛", "胖胖", "点点",
                 "多多", "皮皮", "妞妞", "小黑", "雪球", "阿福", "来福", "包子", "饺子", "布丁", "可乐", "芝麻")
_PET_KINDS_ZH = ("狗", "猫", "狗", "猫", "兔子", "鹦鹉")
PETS_ZH = tuple((_PET_KINDS_ZH[i % len(_PET_KINDS_ZH)], n) for i, n in enumerate(_PET_NAMES_ZH))
PETS_ZH_HELD_OUT = (("猫", "年糕"), ("狗", "团子"))
# Measure words for the pets above (一只猫, 一条狗).
PET_MEASURE_ZH = {"狗": "条", "猫": "只", "兔子": "只", "鹦鹉": "只"}

COLORS_EN = ("blue", "red", "yellow", "orange", "pink", "white", "black", "brown", "gray")
COLORS_EN_HELD_OUT = ("green", "purple")
COLORS_ZH = ("蓝色", "红色", "黄色", "橙色", "粉色", "白色", "黑色", "棕色", "灰色")
COLORS_ZH_HELD_OUT = ("绿色", "紫色")


def split(rows: tuple, held_out: bool) -> list:
    """The rows of a fact table on one side of the SFT / evaluation split."""
    return [r for r in rows if r.held_out == held_out]


def cap(text: str) -> str:
    """Capitalise the first letter only ("the Nile" -> "The Nile"), keeping the rest as written."""
    return text[:1].upper() + text[1:]


# Words a Chinese sentence of the demo is made of beyond single characters: the tokenizer keeps each one
# whole (trainers/tokenizer.py), so "法国" or "林晓雨" is one token in every context, as "France" is.
COMMON_WORDS_ZH = ("首都", "名字", "什么", "哪里", "哪个", "城市", "颜色", "朝代", "化学符号", "原子序数", "公里", "大洲",
                   "国家", "喜欢", "记得", "可爱", "认识", "位于", "流入", "全长", "元素", "符号", "诗人", "行星")


def zh_words() -> list[str]:
    """Every multi-character Chinese name and value in the tables, plus common question words."""
    words: list[str] = list(COMMON_WORDS_ZH)
    for c in COUNTRIES:
        words += [c.zh, c.capital_zh, c.region_zh]
    for r in RIVERS:
        words += [r.zh, r.mouth_zh, r.region_zh]
    for p in PEOPLE:
        words += [p.zh, p.era_zh, p.role_zh]
    words += [e.zh for e in ELEMENTS] + [p.zh for p in PLANETS]
    words += list(NAMES_ZH + NAMES_ZH_HELD_OUT + NAMES_ZH_MORE + CITIES_ZH + CITIES_ZH_HELD_OUT)
    words += [w for pet in PETS_ZH + PETS_ZH_HELD_OUT for w in pet] + list(COLORS_ZH + COLORS_ZH_HELD_OUT)
    return sorted({w for w in words if len(w) > 1})


def held_out_words() -> set[str]:
    """Every held-out entity and value, in both languages (the SFT data must name none of them)."""
    words: set[str] = set()
    for c in split(COUNTRIES, True):
        words |= {c.en, c.capital_en, c.zh, c.capital_zh}
    for r in split(RIVERS, True):
        words |= {r.en, r.en.removeprefix("the "), r.zh}
    for p in split(PEOPLE, True):
        words |= {p.en, p.zh}
    for e in split(ELEMENTS, True):
        words |= {e.en, e.zh}
    words |= set(NAMES_EN_HELD_OUT + NAMES_ZH_HELD_OUT + CITIES_EN_HELD_OUT + CITIES_ZH_HELD_OUT)
    words |= {p for _, p in PETS_EN_HELD_OUT + PETS_ZH_HELD_OUT} | set(COLORS_EN_HELD_OUT + COLORS_ZH_HELD_OUT)
    return words
