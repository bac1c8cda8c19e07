"""Small category lexicons (en + zh) for `relevance:on_topic`: which subjects are of the same kind.

Each category lists groups; a group holds the words that name one subject (synonyms, the usual
translation, common compounds of a Chinese word). Two groups of one category compete: a request
about the sea answered with a poem about mountains, a thank-you letter answered with a
congratulation, a function computing the average answered with one computing the maximum. Each
category belongs to a domain (world, food, health, ...); an answer whose categories all lie in other
domains than the request's is about something else altogether (a recipe for a question about
tyres).

Kept deliberately narrow: words with a common other sense ("fall", "may", "rose", "bear", "even",
"park") are left out, and English single-character-free Chinese members of one character ("猫",
"秋") match only as a whole jieba word. Format: one string per category, groups separated by
"|", members by ","; English phrases are written with spaces. `CODE` categories are read only
when code is asked for or shown (their words are common elsewhere). `IGNORED` phrases are
matched first and mean nothing ("sea level" is not the sea).
"""

from __future__ import annotations

# category -> (domain, groups)
CATEGORIES: dict[str, tuple[str, str]] = {
    "season": ("", """autumn,autumnal,秋,秋天,秋季,秋日,秋风,秋叶,秋色,深秋,金秋 | =spring,springtime,春,春天,春季,春日,春风,春雨,春光,春色
        | summer,summertime,夏,夏天,夏季,夏日,夏夜,盛夏,炎夏 | winter,wintertime,冬,冬天,冬季,冬日,冬夜,寒冬,严冬"""),
    "daytime": ("", """sunset,dusk,twilight,日落,夕阳,黄昏,落日,晚霞,暮色 | sunrise,dawn,daybreak,日出,黎明,拂晓,朝阳,晨曦,鱼肚白"""),
    "weather": ("", """rain,rainy,raindrop,rainfall,雨,下雨,雨水,雨天,细雨,大雨 | snow,snowy,snowfall,snowflake,雪,下雪,雪花,雪景,积雪,大雪
        | fog,foggy,mist,雾,大雾,雾霾 | thunderstorm,thunder,lightning,雷雨,雷电,打雷 | frost,frosty,霜,寒霜,冰霜 | typhoon,hurricane,台风,飓风"""),
    "landform": ("world", """sea,ocean,seas,oceans,waves,tide,seaside,beach,shore,coast,海,大海,海洋,海浪,浪花,潮水,海边,海滩,沙滩,碧波,海风,海鸥
        | mountain,mountains,peak,peaks,summit,山,高山,群山,山峰,雪峰,峰顶,青山,山脉 | desert,dune,dunes,沙漠,沙丘,荒漠,戈壁
        | forest,woods,woodland,森林,树林 | river,stream,河,江,河流,小溪,溪流 | lake,湖,湖泊 | grassland,prairie,meadow,草原,草地
        | island,岛,海岛 | volcano,火山 | glacier,冰川"""),
    "trip": ("world", """ski trip,ski holiday,skiing,ski,slopes,滑雪,雪场 | beach holiday,beach vacation,beach trip,海边度假,海滨度假
        | camping,camping trip,露营,野营 | city break,城市游 | road trip,自驾游 | cruise,邮轮 | hiking trip,徒步旅行"""),
    "celestial": ("world", """sun,our star,太阳 | moon,lunar,natural satellite,月亮,明月,月球,月光 | star,stars,星星,恒星 | planet,planets,行星 | black hole,黑洞
        | neutron star,pulsar,中子星,脉冲星 | galaxy,milky way,星系,银河 | comet,彗星 | mars,red planet,火星,红色星球 | jupiter,gas giant,木星
        | venus,金星 | saturn,土星
        | solar system,太阳系 | universe,宇宙"""),
    "animal": ("world", """dog,dogs,puppy,puppies,pup,retriever,狗,小狗,狗狗,犬,小母狗,金毛,养狗,遛狗,狗粮 | cat,cats,kitten,kittens,kitty,猫,小猫,猫咪,公猫,母猫,养猫,猫粮
        | rabbit,bunny,兔,兔子,小兔,小兔子 | hamster,仓鼠 | panda,pandas,熊猫,大熊猫 | koala,koalas,考拉,树袋熊 | tiger,老虎
        | lion,狮子 | elephant,大象 | giraffe,长颈鹿 | monkey,猴子 | horse,马儿,骏马,小马 | cow,奶牛 | sheep,lamb,羊,绵羊,小羊
        | pig,猪,小猪 | fox,狐狸,小狐狸 | wolf,狼 | deer,鹿 | mouse,mice,rat,老鼠 | squirrel,松鼠 | dolphin,dolphins,海豚
        | whale,鲸,鲸鱼 | octopus,octopuses,章鱼 | squid,鱿鱼 | jellyfish,水母 | crab,螃蟹 | lobster,龙虾 | shrimp,虾 | shark,鲨鱼 | goldfish,金鱼 | turtle,tortoise,乌龟 | snake,蛇 | frog,青蛙
        | butterfly,蝴蝶 | bee,bees,蜜蜂 | ant,ants,蚂蚁 | spider,spiders,蜘蛛 | insect,insects,昆虫 | dinosaur,dinosaurs,恐龙
        | parrot,鹦鹉 | penguin,企鹅 | owl,猫头鹰 | eagle,鹰,老鹰 | pigeon,dove,鸽子 | sparrow,麻雀 | crane,鹤,丹顶鹤 | ibis,朱鹮
        | chicken,hen,rooster,鸡,公鸡,母鸡 | duck,鸭,鸭子 | goose,鹅 | swan,天鹅"""),
    # the kind itself, apart from its members above (a story about a bird that meets a sparrow is still about a bird)
    "creature": ("", """bird,birds,birdie,鸟,小鸟,鸟儿,飞鸟"""),  # no domain: a bird in passing is no other matter
    "plant": ("world", """cactus,cacti,仙人掌 | succulent,succulents,多肉,多肉植物 | orchid,orchids,兰花 | pothos,绿萝 | sunflower,向日葵
        | snake plant,虎尾兰 | tulip,郁金香 | lotus,荷花,莲花,荷叶 | maple,枫树,枫叶 | pine,松树,青松 | willow,柳树,柳 | bamboo,竹子,竹 | fern,ferns,蕨类 | ivy,常春藤 | monstera,龟背竹 | aloe,芦荟 | basil,罗勒 | mint,薄荷
        | chrysanthemum,菊花 | plum blossom,梅花 | cherry blossom,樱花 | osmanthus,桂花 | peach blossom,桃花 | bonsai,盆景"""),
    "dish": ("food", """banana bread,香蕉面包 | zucchini bread | guacamole,牛油果酱 | sourdough,酸面包 | pancake,pancakes,煎饼 | dumpling,dumplings,饺子
        | hotpot,hot pot,火锅 | dim sum,早茶 | 红烧肉 | 糖醋排骨 | 番茄炒蛋,西红柿炒鸡蛋 | 土豆丝,酸辣土豆丝 | soup,汤 | salad,沙拉
        | pizza,披萨 | pasta,spaghetti,意面 | cake,蛋糕 | cookie,cookies,饼干 | noodle,noodles,面条,小面 | fried rice,炒饭
        | sushi,寿司 | curry,咖喱 | steak,牛排"""),
    "produce": ("food", """egg,eggs,鸡蛋,蛋 | banana,bananas,香蕉 | zucchini,西葫芦 | apple,apples,苹果 | strawberry,strawberries,草莓
        | kiwi,kiwifruit,猕猴桃 | watermelon,西瓜 | durian,榴莲 | mango,芒果 | grape,grapes,葡萄 | pear,pears,梨
        | peach,peaches,桃子 | cherry,cherries,樱桃 | pineapple,菠萝 | lemon,柠檬 | blueberry,blueberries,蓝莓 | lychee,荔枝
        | coconut,椰子 | 橙子,橘子 | tomato,tomatoes,番茄,西红柿 | potato,potatoes,土豆 | avocado,avocados,牛油果
        | onion,onions,洋葱 | garlic,大蒜 | honey,蜂蜜 | rice,米饭,大米 | tofu,豆腐 | chocolate,巧克力 | pork,猪肉,五花肉 | beef,牛肉"""),
    "ingredient": ("food", """flour,面粉 | butter,黄油 | sugar,sugars,白糖,冰糖 | salt,盐 | soy sauce,生抽,老抽,酱油 | vinegar,醋 | cheese,奶酪
        | ginger,姜 | chili,辣椒 | yogurt,yoghurt,酸奶 | parsley,香菜"""),
    "food_group": ("food", """fruit,fruits,水果 | vegetable,vegetables,veggies,蔬菜 | meat,肉类 | seafood,海鲜 | nut,nuts,坚果"""),
    "nutrient": ("food", """vitamin,vitamins,维生素 | iron,铁 | calcium,钙 | protein,蛋白质 | fiber,fibre,纤维,膳食纤维"""),
    "beverage": ("food", """green tea,绿茶 | black tea,红茶 | milk tea,奶茶 | tea,茶 | coffee,espresso,latte,caffeine,咖啡,咖啡因 | milk,牛奶 | wine,葡萄酒,红酒
        | beer,啤酒 | juice,果汁"""),
    "meal": ("", """breakfast,早餐,早饭 | lunch,午餐,午饭,聚餐 | dinner,supper,晚餐,晚饭"""),
    "country": ("world", """france,french,法国 | germany,german,德国 | japan,japanese,日本 | china,chinese,中国 | united states,america,american,usa,美国
        | britain,british,=uk,england,english,英国 | canada,canadian,加拿大 | australia,australian,澳大利亚,澳洲 | new zealand,新西兰
        | brazil,brazilian,巴西 | italy,italian,意大利 | spain,spanish,西班牙 | russia,russian,俄罗斯 | india,indian,印度
        | korea,korean,韩国 | egypt,egyptian,埃及 | mexico,mexican,墨西哥 | norway,norwegian,挪威 | iceland,icelandic,冰岛
        | sweden,swedish,瑞典 | netherlands,dutch,荷兰 | greece,greek,希腊 | portugal,portuguese,葡萄牙 | thailand,thai,泰国
        | vietnam,越南 | singapore,新加坡 | switzerland,swiss,瑞士 | austria,austrian,奥地利 | czech,捷克 | argentina,阿根廷
        | peru,秘鲁 | kenya,肯尼亚 | tanzania,坦桑尼亚 | nepal,尼泊尔 | south africa,南非"""),
    "continent": ("world", """africa,african,非洲 | south america,南美,南美洲 | north america,北美,北美洲 | europe,european,欧洲 | asia,asian,亚洲
        | oceania,大洋洲 | antarctica,南极,南极洲"""),
    "city": ("world", """beijing,北京 | shanghai,上海 | guangzhou,广州 | shenzhen,深圳 | chengdu,成都 | chongqing,重庆 | xi'an,xian,西安
        | hangzhou,杭州 | wuhan,武汉 | kunming,昆明 | harbin,哈尔滨 | xiamen,厦门 | nanjing,南京 | tianjin,天津 | suzhou,苏州
        | qingdao,青岛 | lhasa,拉萨 | hong kong,香港 | macau,macao,澳门 | taipei,台北 | dalian,大连 | jinan,济南 | zhengzhou,郑州
        | changsha,长沙 | shenyang,沈阳 | fuzhou,福州 | guilin,桂林 | lijiang,丽江 | dali,大理 | sanya,三亚 | luoyang,洛阳
        | ningbo,宁波 | wuxi,无锡 | yangzhou,扬州 | hefei,合肥 | nanning,南宁 | guiyang,贵阳 | lanzhou,兰州 | urumqi,乌鲁木齐
        | zhuhai,珠海 | dunhuang,敦煌 | kaohsiung,高雄 | tokyo,东京 | osaka,大阪 | kyoto,京都 | seoul,首尔 | paris,巴黎 | london,伦敦
        | berlin,柏林 | rome,罗马 | florence,佛罗伦萨 | venice,威尼斯 | milan,米兰 | madrid,马德里 | barcelona,巴塞罗那
        | lisbon,里斯本 | vienna,维也纳 | prague,布拉格 | amsterdam,阿姆斯特丹 | new york,纽约 | los angeles,洛杉矶
        | san francisco,旧金山 | chicago,芝加哥 | toronto,多伦多 | vancouver,温哥华 | ottawa,渥太华 | sydney,悉尼
        | melbourne,墨尔本 | canberra,堪培拉 | wellington,惠灵顿 | auckland,奥克兰 | moscow,莫斯科 | bangkok,曼谷 | dubai,迪拜 | munich,慕尼黑 | zurich,苏黎世 | geneva,日内瓦 | athens,雅典
        | edinburgh,爱丁堡 | dublin,都柏林 | stockholm,斯德哥尔摩 | copenhagen,哥本哈根 | budapest,布达佩斯 | hanoi,河内 | mumbai,孟买
        | delhi,德里 | boston,波士顿 | seattle,西雅图 | las vegas,拉斯维加斯 | mexico city,墨西哥城 | buenos aires,布宜诺斯艾利斯
        | cairo,开罗 | istanbul,伊斯坦布尔 | oslo,奥斯陆 | reykjavik,雷克雅未克 | brasilia,巴西利亚 | rio de janeiro,里约热内卢"""),
    "landmark": ("world", """great wall,长城 | forbidden city,故宫,紫禁城 | eiffel tower,埃菲尔铁塔 | statue of liberty,自由女神像
        | terracotta warriors,terracotta army,兵马俑 | west lake,西湖 | summer palace,颐和园 | colosseum,斗兽场 | great barrier reef,大堡礁
        | mount everest,everest,珠穆朗玛峰,珠峰 | kilimanjaro,乞力马扎罗山,乞力马扎罗 | mogao caves,莫高窟 | taj mahal,泰姬陵
        | pyramids,金字塔 | big ben,大本钟 | louvre,卢浮宫 | the bund,外滩 | temple of heaven,天坛"""),
    "building": ("world", """library,图书馆 | swimming pool,游泳池,游泳馆 | gym,gymnasium,体育馆,健身房 | museum,museums,博物馆 | hospital,医院
        | school,学校 | supermarket,超市 | bakery,面包店 | cafe,café,coffee shop,咖啡店,咖啡馆 | restaurant,餐厅,饭店 | cinema,电影院
        | airport,机场 | office,办公室 | kitchen,厨房 | bathroom,卫生间,浴室 | bedroom,卧室"""),
    "family": ("", """grandmother,grandma,granny,nana,奶奶,祖母,外婆,姥姥 | grandfather,grandpa,granddad,爷爷,祖父,外公,姥爷
        | mother,mom,mum,mommy,妈妈,母亲 | father,dad,daddy,爸爸,父亲 | brother,哥哥,弟弟,兄弟 | sister,姐姐,妹妹
        | son,儿子 | daughter,女儿 | nephew,侄子,外甥 | niece,侄女,外甥女 | uncle,叔叔,舅舅,伯伯 | aunt,阿姨,姑姑,姨妈
        | wife,妻子,老婆 | husband,丈夫,老公 | child,children,kid,kids,孩子,儿童,小朋友 | baby,宝宝,婴儿 | classmate,同学
        | colleague,coworker,同事 | neighbour,neighbor,邻居 | teacher,老师,教师,班主任 | pen pal,penpal,笔友 | =retiree,退休人员"""),
    "occasion": ("", """thank,thanks,thank-you,=grateful,gratitude,appreciate,感谢,谢谢,感激,谢意,致谢,感谢信 | congratulate,congratulations,祝贺,恭喜,贺信
        | apology,apologize,apologise,sorry,道歉,抱歉,对不起,道歉信 | birthday,生日 | wedding,婚礼,新婚 | =retirement,退休
        | graduation,graduating,毕业 | invitation,invite,inviting,邀请,邀请函 | condolence,condolences,慰问,哀悼 | farewell,告别,送别
        | resignation,resign,辞职,离职 | complaint,投诉 | salary,pay rise,加薪,薪资,涨工资 | day off,time off,请假,休假,一天假,假"""),
    "day": ("", """christmas,圣诞,圣诞节 | new year,元旦 | spring festival,chinese new year,春节,过年,新年,新春 | mid-autumn,中秋,中秋节
        | national day,国庆,国庆节 | thanksgiving,感恩节 | halloween,万圣节 | easter,复活节 | valentine,情人节 | teachers' day,教师节
        | mother's day,母亲节 | father's day,父亲节 | dragon boat,端午,端午节 | lantern festival,元宵,元宵节 | children's day,儿童节
        | monday,周一,星期一,礼拜一 | tuesday,周二,星期二 | wednesday,周三,星期三 | thursday,周四,星期四 | friday,周五,星期五
        | saturday,周六,星期六 | sunday,周日,星期日,星期天"""),
    "virtue": ("", """perseverance,persistence,persist,persevere,坚持,毅力,恒心 | =kindness,善良,善意,友善 | courage,brave,bravery,勇气,勇敢
        | honesty,诚实,诚信 | patience,耐心 | humility,谦虚 | diligence,勤奋 | love,爱情 | friendship,友谊,友情 | 亲情
        | happiness,joy,快乐,幸福,喜悦 | sadness,grief,悲伤,难过 | anger,愤怒 | loneliness,=lonely,孤独,寂寞 | fear,恐惧
        | nostalgia,homesick,homesickness,思乡,乡愁"""),
    "sport": ("health", """=walking,散步,走路,步行 | =running,=jogging,=jog,跑步,慢跑 | marathon,马拉松 | swimming,游泳 | =cycling,骑行 | yoga,瑜伽
        | jump rope,=skipping,跳绳 | tennis,网球 | badminton,羽毛球 | table tennis,ping pong,乒乓球 | basketball,篮球 | football,soccer,足球
        | =curling,冰壶 | hiking,徒步 | 拉伸 | weightlifting,举重"""),
    "health": ("health", """sleep,sleeping,insomnia,=bed,=bedtime,睡眠,睡觉,失眠,早睡,入睡,上床,熬夜,作息 | headache,头疼,头痛 | back pain,腰疼,腰痛,背痛
        | hiccup,hiccups,打嗝 | cough,咳嗽 | fever,发烧 | allergy,过敏 | diet,节食,减肥 | stress,anxiety,压力,焦虑"""),
    "wave": ("science", """speed of light,光速,光线,光波 | =sound,声音,声速,声波"""),
    "process": ("science", """photosynthesis,光合作用 | cellular respiration,respiration,细胞呼吸,呼吸作用 | evaporation,蒸发 | fermentation,发酵
        | digestion,消化"""),
    "force": ("science", """gravity,引力,重力 | electricity,电流 | magnetism,磁场"""),
    "economy": ("money", """inflation,通货膨胀,通胀 | deflation,通货紧缩,通缩 | recession,衰退,经济衰退"""),
    "element": ("science", """gold,黄金,金 | silver,银 | copper,铜 | oxygen,氧,氧气 | hydrogen,氢,氢气 | carbon,碳"""),
    "vehicle": ("transport", """bicycle,bike,bikes,自行车,单车 | =car,=cars,automobile,汽车,轿车 | motorcycle,摩托车 | =bus,=buses,公交车,公交
        | =train,=trains,火车,高铁,列车 | plane,airplane,aeroplane,飞机 | boat,=ship,=ships,船 | subway,metro,地铁 | =tyre,=tire,=tyres,=tires,轮胎,车胎,内胎"""),
    "home": ("", """microwave,微波炉 | induction cooker,induction hob,电磁炉 | oven,烤箱 | refrigerator,fridge,冰箱 | washing machine,洗衣机
        | air conditioner,空调 | dishwasher,洗碗机 | rice cooker,电饭煲 | =radiator,=heater,=heating,暖气,取暖器 | faucet,水龙头
        | toilet,马桶 | carpet,rug,地毯 | sofa,couch,沙发 | toaster,烤面包机,面包机 | kettle,电水壶,烧水壶
        | blender,搅拌机,破壁机 | hair dryer,吹风机 | window,windows,窗户,窗 | door,门 | =lock,门锁
        | roof,屋顶 | pipe,pipes,水管 | ceiling,天花板 | light switch,开关"""),
    "device": ("tech", """phone,smartphone,telephone,手机,电话 | computer,laptop,电脑 | router,wifi,wi-fi,路由器 | printer,打印机 | keyboard,=typing,=touch-type,=touch typing,键盘,打字
        | television,电视 | light bulb,电灯,灯泡"""),
    "concept": ("tech", """blockchain,区块链 | artificial intelligence,人工智能 | cloud computing,云计算 | big data,大数据
        | internet of things,物联网 | machine learning,机器学习 | quantum computing,量子计算 | cryptocurrency,bitcoin,比特币,加密货币
        | virtual reality,虚拟现实 | 5g"""),
    "finance": ("money", """stock,stocks,股票 | =bonds,债券 | index fund,index funds,fund,funds,基金 | 定投 | =savings,存款,储蓄 | loan,贷款
        | mortgage,房贷 | budget,预算 | tax,taxes,税"""),
    "work": ("work", """=productivity,效率 | pomodoro,番茄工作法 | exam,考试 | homework,作业 | 会议 | =report,=reports,报告 | 简历
        | interview,面试"""),
    "genre": ("culture", """science fiction,sci-fi,科幻 | mystery,=detective,whodunit,推理,侦探,悬疑 | romance,言情 | fantasy,奇幻,魔幻 | horror,恐怖
        | comedy,喜剧 | thriller,惊悚 | documentary,纪录片 | =animated,=animation,动画 | action movie,动作片 | biography,传记"""),
    "job": ("work", """barista,咖啡师 | nurse,护士 | software engineer,programmer,=developer,程序员,软件工程师 | =designer,设计师
        | =accountant,会计 | chef,厨师 | doctor,医生 | lawyer,律师 | =driver,司机 | cashier,收银员 | pilot,飞行员 | firefighter,消防员
        | police officer,警察 | farmer,农民 | journalist,记者 | =photographer,摄影师 | waiter,waitress,服务员 | librarian,图书管理员
        | kindergarten teacher,幼儿园老师,幼师 | pharmacist,药剂师 | electrician,电工 | plumber,水管工"""),
    "artwork": ("culture", """mona lisa,蒙娜丽莎 | starry night,星月夜 | the scream,呐喊 | last supper,最后的晚餐"""),
    "event": ("world", """world war ii,second world war,ww2,wwii,二战,第二次世界大战 | world war i,first world war,wwi,一战,第一次世界大战
        | french revolution,法国大革命 | cold war,冷战"""),
    # no domain: a school subject named in passing ("物理学中的常数c…" for the speed of light) is no other matter
    "subject": ("", """math,maths,mathematics,数学 | physics,物理 | chemistry,化学 | biology,生物 | history,历史 | geography,地理
        | economics,经济学 | philosophy,哲学 | music,音乐 | art,美术"""),
    "dynasty": ("world", """tang dynasty,唐朝,唐代 | song dynasty,宋朝,宋代 | ming dynasty,明朝,明代 | qing dynasty,清朝,清代 | han dynasty,汉朝,汉代
        | qin dynasty,秦朝,秦代 | yuan dynasty,元朝,元代"""),
    "clothing": ("home", """jacket,coat,外套,夹克,大衣 | dress,skirt,裙子,连衣裙 | shoes,sneakers,鞋,鞋子,运动鞋 | hat,cap,帽子 | scarf,围巾
        | sweater,jumper,毛衣 | socks,袜子 | gloves,mittens,手套 | jeans,trousers,pants,裤子,牛仔裤 | shirt,t-shirt,衬衫,t恤"""),
    "body": ("health", """心脏 | liver,肝脏 | lungs,lung,肺 | kidney,kidneys,肾脏 | 大脑 | stomach,胃 | teeth,tooth,牙齿 | knee,knees,膝盖
        | shoulder,shoulders,肩膀,肩周 | neck,颈椎,脖子 | wrist,手腕 | ankle,脚踝 | lower back,腰,腰部"""),  # no "heart", "eyes": metaphors
    "codelang": ("tech", """python | javascript,js,node.js | =java | c++,cpp | rust | golang | =sql | =html | =css | typescript | ruby | php"""),
    "instrument": ("culture", """violin,小提琴 | piano,钢琴 | guitar,吉他 | cello,大提琴 | flute,长笛 | drum,drums,鼓"""),
    "language": ("culture", """英语,英文 | 法语,法文 | 西班牙语 | 日语,日文 | 韩语 | 德语 | 俄语 | 意大利语 | 中文,汉语,普通话"""),
}

# code-only: their words are common outside code ("mean", "even", "sum")
CODE: dict[str, tuple[str, str]] = {
    "code_op": ("tech", """average,mean,平均,平均值,平均数 | maximum,max,largest,最大,最大值 | minimum,min,smallest,最小,最小值 | sum,总和,求和,之和
        | sort,sorted,sorting,排序 | reverse,reversed,反转,倒序,逆序 | factorial,阶乘 | prime,is_prime,素数,质数 | palindrome,回文
        | fibonacci,fib,斐波那契 | vowel,vowels,aeiou,元音 | leap,闰年 | duplicate,duplicates,dedupe,去重,重复 | even,偶数 | odd,奇数
        | celsius,fahrenheit,摄氏,华氏 | km,kilometre,kilometer,miles,mile,公里,英里"""),
}

IGNORED = ("sea level", "海拔", "sleeping bag", "睡袋", "big cat", "big cats", "猫科", "猫科动物", "hot dog", "热狗")

# Categories whose words mark no domain (a birthday, a Monday, rain, a door can come up in any matter) have
# domain "". Ingredients co-occur with every dish: they tell the domain but never compete.
NO_COMPETITION = frozenset({"ingredient", "force"})  # forces explain other things (tides, black holes)

# Words of a question that ask for a member of the category: "Which country…", "哪个国家", "星期几".
# An answer naming another member of that category is the answer, not another subject.
ASKED_FOR: dict[str, str] = {
    "country": r"\bcountry|\bcountries|\bnation|\blanguage|国家|哪国|哪个国",  # "Portuguese" is a language too
    "city": r"\bcity|\bcities|\bcapital|\btown|城市|首都|省会|哪座城",
    "continent": r"\bcontinent|大洲|哪个洲",
    "region": r"\bprovinces?\b|\bstates?\b|省份|哪个省|哪一省|哪个州",
    "language": r"\blanguage|语言|什么语|哪种语",
    "celestial": r"\bplanet|\bstar\b|行星|星球|恒星",
    "day": r"\bday\b|\bweekday|星期几|周几|礼拜几|哪天|哪一天|节日",
    "season": r"\bseason|季节",
    "animal": r"\banimal|动物",
    "plant": r"\bplant|\bflower|\btree|植物|花",
    "dish": r"\bdish|\bfood|\bmeal|\brecipe|菜|食物|美食|吃什么",
    "produce": r"\bfruit|\bvegetable|\bfood|\bingredient|水果|蔬菜|食物|食材",
    "beverage": r"\bdrink|\bbeverage|饮料|喝什么",
    "sport": r"\bsport|\bexercise|运动|锻炼",
    "element": r"\belement|\bmetal|元素|金属",
    "landmark": r"\blandmark|\bsights?\b|景点|名胜",
    "building": r"\bplace|\bbuilding|地方|建筑",
    "vehicle": r"\bvehicle|\btransport|交通工具",
    "instrument": r"\binstrument|乐器",
    "genre": r"\bgenre|类型",
    "artwork": r"\bpainting|\bwork|名作|作品|画",
    "job": r"\bjob|\bcareer|\bprofession|职业",
    "subject": r"\bsubject|\bcourse|学科|科目|专业",
    "event": r"\bwar\b|\bevent|战争|事件",
    "family": r"\brelative|亲戚",
    "weather": r"\bweather|天气",
}
