"""Material for the non-factual question types: how-to steps, letters, short descriptions, rewrites,
translations, poems, stories, Python functions, syllogisms.

Like the fact tables, each table marks `held_out` rows: those appear in the pretraining corpus (as prose,
poems, code listings...) but never in the SFT data; the demo suite asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HowTo:
    task_en: str  # "make tea" -> "How do I make tea?"
    task_zh: str  # "泡茶" -> "怎么泡茶？"
    steps_en: tuple[str, ...]
    steps_zh: tuple[str, ...]
    held_out: bool = False


HOWTOS: tuple[HowTo, ...] = (
    HowTo("make tea", "泡茶",
          ("Boil some water.", "Put a tea bag in a cup.", "Pour the hot water into the cup.",
           "Wait three minutes, then take out the tea bag."),
          ("把水烧开。", "把茶叶放进杯子里。", "倒入热水。", "等三分钟后就可以喝了。")),
    HowTo("wash my hands", "洗手",
          ("Wet your hands with clean water.", "Rub soap over your hands for twenty seconds.",
           "Rinse off the soap.", "Dry your hands with a clean towel."),
          ("用清水打湿双手。", "抹上肥皂，搓洗二十秒。", "用清水冲干净。", "用干净的毛巾擦干。")),
    HowTo("cook rice", "煮米饭",
          ("Wash the rice two times.", "Put the rice and water in a pot.",
           "Bring it to a boil, then turn the heat down.", "Cook for fifteen minutes with the lid on."),
          ("把米淘洗两遍。", "把米和水放进锅里。", "大火烧开后转小火。", "盖上锅盖再煮十五分钟。")),
    HowTo("make a sandwich", "做三明治",
          ("Take two slices of bread.", "Spread butter on one side of each slice.",
           "Add cheese, ham and lettuce.", "Put the slices together and cut it in half."),
          ("拿出两片面包。", "在面包上抹一层黄油。", "放上奶酪、火腿和生菜。", "把两片面包合起来，切成两半。")),
    HowTo("clean my room", "打扫房间",
          ("Pick up everything on the floor.", "Put clothes and books back in their places.",
           "Dust the desk and shelves.", "Sweep or vacuum the floor."),
          ("把地上的东西捡起来。", "把衣服和书放回原处。", "擦掉桌子和书架上的灰尘。", "扫地或者用吸尘器清洁地面。")),
    HowTo("brush my teeth", "刷牙",
          ("Put a little toothpaste on your toothbrush.", "Brush the front and back of every tooth.",
           "Brush for two minutes.", "Rinse your mouth with water."),
          ("在牙刷上挤一点牙膏。", "刷每颗牙齿的内外两面。", "刷够两分钟。", "用清水漱口。")),
    HowTo("water a plant", "给植物浇水",
          ("Check if the soil is dry.", "Fill a watering can with water.",
           "Pour the water slowly around the base of the plant.", "Stop when water comes out of the bottom of the pot."),
          ("先看看土是不是干了。", "往水壶里装满水。", "沿着植物根部慢慢浇水。", "看到盆底流出水就停下。")),
    HowTo("send an email", "发电子邮件",
          ("Open your email app.", "Click the button to write a new email.",
           "Enter the address, a subject and your message.", "Click send."),
          ("打开邮箱。", "点击写信。", "填写收件人、主题和正文。", "点击发送。")),
    HowTo("make a paper plane", "折纸飞机",
          ("Fold a sheet of paper in half along its length.", "Fold the two top corners to the middle line.",
           "Fold the edges to the middle again.", "Fold the wings down and throw it gently."),
          ("把一张纸沿长边对折。", "把上面两个角折向中线。", "再把两边折向中线。", "折出机翼，轻轻投出去。")),
    HowTo("wash clothes", "洗衣服",
          ("Sort the clothes by color.", "Put them in the washing machine with some soap.",
           "Choose a program and start the machine.", "Hang the clothes up to dry."),
          ("把衣服按颜色分开。", "放进洗衣机并加入洗衣液。", "选择程序，开始洗涤。", "把衣服晾起来。")),
    # Held out.
    HowTo("plant a tree", "种树",
          ("Choose a sunny place.", "Dig a hole twice as wide as the roots.",
           "Put the tree in the hole and fill it with soil.", "Water the tree well."),
          ("选一个阳光充足的地方。", "挖一个比树根大一倍的坑。", "把树放进坑里，填上土。", "浇足水。"),
          held_out=True),
    HowTo("boil an egg", "煮鸡蛋",
          ("Put the egg in a pot of cold water.", "Heat the water until it boils.",
           "Cook for eight minutes on medium heat.", "Cool the egg in cold water."),
          ("把鸡蛋放进冷水锅里。", "大火把水烧开。", "转中火煮八分钟。", "取出放进冷水里冷却。"),
          held_out=True),
)


@dataclass(frozen=True)
class Recipient:
    en: str  # "my teacher"
    zh: str  # "老师"
    salutation_en: str
    salutation_zh: str


RECIPIENTS: tuple[Recipient, ...] = (
    Recipient("my teacher", "老师", "Dear Mr. Brown,", "亲爱的王老师："),
    Recipient("my friend", "朋友", "Dear Emma,", "亲爱的小林："),
    Recipient("my neighbor", "邻居", "Dear Mrs. Green,", "亲爱的李阿姨："),
    Recipient("my grandmother", "奶奶", "Dear Grandma,", "亲爱的奶奶："),
    Recipient("my manager", "经理", "Dear Ms. White,", "尊敬的张经理："),
    Recipient("my doctor", "医生", "Dear Dr. Lee,", "尊敬的刘医生："),
    Recipient("my coach", "教练", "Dear Coach Miller,", "亲爱的陈教练："),
    Recipient("my classmate", "同学", "Dear Kevin,", "亲爱的小周："),
)


@dataclass(frozen=True)
class Occasion:
    en: str  # "thank-you" -> "a thank-you letter"
    zh: str  # "感谢信"
    body_en: tuple[str, ...]
    body_zh: tuple[str, ...]


OCCASIONS: tuple[Occasion, ...] = (
    Occasion("thank-you", "感谢信",
             ("Thank you very much for your help last week.", "Your kindness made a real difference to me.",
              "I am truly grateful."),
             ("非常感谢您上周对我的帮助。", "您的关心让我很感动。", "我会一直记在心里。")),
    Occasion("invitation", "邀请信",
             ("I would like to invite you to my birthday party this Saturday at six o'clock.",
              "There will be food, music and games.", "I hope you can come."),
             ("我想邀请您参加本周六晚上六点的生日聚会。", "聚会上有美食、音乐和游戏。", "希望您能来。")),
    Occasion("apology", "道歉信",
             ("I am sorry that I missed our meeting on Monday.", "It was my fault, and I should have told you earlier.",
              "I will make sure it does not happen again."),
             ("很抱歉我错过了周一的见面。", "这是我的错，我应该早点告诉您。", "以后我一定会注意。")),
    Occasion("congratulation", "祝贺信",
             ("Congratulations on your new job!", "You worked very hard for this, and you deserve it.",
              "I wish you every success."),
             ("祝贺您找到了新工作！", "这是您努力的结果。", "祝您工作顺利。")),
)

# (occasion, recipient) letter requests kept for the demo suite only.
LETTERS_HELD_OUT_EN: tuple[tuple[str, str], ...] = (("thank-you", "my neighbor"), ("apology", "my manager"))
LETTERS_HELD_OUT_ZH: tuple[tuple[str, str], ...] = (("感谢信", "奶奶"), ("邀请信", "同学"))


@dataclass(frozen=True)
class Email:
    recipient: str  # key into RECIPIENTS (English form)
    purpose_en: str  # completes "Write an email to my manager ..."
    purpose_zh: str  # completes "给经理写一封电子邮件，..."
    body_en: str
    body_zh: str
    held_out: bool = False


EMAILS: tuple[Email, ...] = (
    Email("my manager", "asking for a day off on Friday", "请求周五请假一天",
          "I would like to ask for a day off this Friday for a family matter. I will finish my tasks before then.",
          "因为家里有事，我想在本周五请假一天。我会提前完成手上的工作。"),
    Email("my teacher", "asking about the homework", "询问今天的作业",
          "I was not in class today. Could you please tell me what the homework is? Thank you for your time.",
          "我今天没有去上课，请问今天的作业是什么？谢谢您。"),
    Email("my coach", "saying I will be late for training", "说明训练会迟到",
          "I am sorry, but I will be about twenty minutes late for training today because my bus is delayed.",
          "很抱歉，我的公交车晚点了，今天的训练我会迟到二十分钟左右。"),
    Email("my friend", "inviting them to dinner", "邀请对方吃晚饭",
          "Would you like to have dinner with me on Sunday evening? I know a nice new restaurant near the park.",
          "周日晚上一起吃晚饭好吗？公园旁边新开了一家很不错的餐厅。"),
    # Held out.
    Email("my doctor", "asking to move my appointment", "请求改约看病时间",
          "Could I move my appointment from Tuesday to Thursday morning? I am sorry for the trouble.",
          "请问能否把我的预约从周二改到周四上午？给您添麻烦了。", held_out=True),
)


@dataclass(frozen=True)
class Notice:
    event_en: str  # completes "Write a short notice about ..."
    event_zh: str  # completes "写一则关于...的通知。"
    text_en: str
    text_zh: str
    held_out: bool = False


NOTICES: tuple[Notice, ...] = (
    Notice("the school sports day", "学校运动会",
           "The school sports day will be held this Friday at nine o'clock on the main field. All students "
           "should wear sports clothes.",
           "本周五上午九点在操场举行学校运动会，请全体同学穿运动服参加。"),
    Notice("the library closing early", "图书馆提前闭馆",
           "The library will close at four o'clock this Wednesday. Please return your books before then.",
           "本周三图书馆将于下午四点闭馆，请大家提前还书。"),
    Notice("a water stop in the building", "大楼停水",
           "There will be no water in the building on Monday from nine to twelve o'clock because of repairs.",
           "因维修管道，本周一上午九点到十二点大楼停水，请提前做好准备。"),
    # Held out.
    Notice("a class trip to the museum", "参观博物馆",
           "Our class will visit the city museum next Thursday. We will meet at the school gate at eight o'clock.",
           "下周四我们班将参观市博物馆，早上八点在校门口集合。", held_out=True),
)


@dataclass(frozen=True)
class Topic:
    """Something to describe in a few words: a short description for each language."""

    en: str
    zh: str
    short_en: str
    short_zh: str
    held_out: bool = False


TOPICS: tuple[Topic, ...] = (
    Topic("the Moon", "月亮", "The Moon is Earth's only natural satellite.", "月亮是地球唯一的天然卫星。"),
    Topic("the ocean", "海洋", "The ocean covers most of Earth and is full of life.", "海洋覆盖了地球的大部分表面。"),
    Topic("a library", "图书馆", "A library is a place where people borrow and read books.", "图书馆是借书和读书的地方。"),
    Topic("the bicycle", "自行车", "A bicycle is a vehicle with two wheels that you ride with pedals.", "自行车是一种靠脚踩的两轮车。"),
    Topic("rain", "雨", "Rain is water that falls from clouds.", "雨是从云中落下的水。"),
    Topic("the computer", "电脑", "A computer is a machine that stores and processes information.", "电脑是处理信息的机器。"),
    Topic("coffee", "咖啡", "Coffee is a drink made from roasted coffee beans.", "咖啡是用烘焙过的咖啡豆做成的饮料。"),
    Topic("the desert", "沙漠", "A desert is a very dry place with little rain.", "沙漠是雨水很少、非常干燥的地方。"),
    Topic("the elephant", "大象", "The elephant is the largest animal that lives on land.", "大象是陆地上最大的动物。"),
    Topic("the Great Wall", "长城", "The Great Wall is a long ancient wall in northern China.", "长城是中国北方古老而漫长的城墙。"),
    # Held out.
    Topic("the Sun", "太阳", "The Sun is the star at the center of our solar system.", "太阳是太阳系中心的恒星。",
          held_out=True),
    Topic("the giant panda", "熊猫", "The giant panda is a black and white bear that eats bamboo.", "熊猫是吃竹子的黑白色熊。",
          held_out=True),
)


@dataclass(frozen=True)
class Rewrite:
    long: str
    short: str
    lang: str
    held_out: bool = False


REWRITES: tuple[Rewrite, ...] = (
    Rewrite("Because it was raining very heavily all morning, we decided that we would stay at home today.",
            "We stayed home because of the heavy rain.", "en"),
    Rewrite("In my personal opinion, I think that this book is a very good book that is worth reading.",
            "This book is worth reading.", "en"),
    Rewrite("The meeting that was planned for Monday has been moved to a later day, which is Wednesday.",
            "The Monday meeting is moved to Wednesday.", "en"),
    Rewrite("At this point in time, the shop is not open because all of the staff are on holiday.",
            "The shop is closed for the staff holiday.", "en"),
    Rewrite("He walked very slowly and carefully along the road because the road was covered in ice.",
            "He walked carefully on the icy road.", "en"),
    Rewrite("由于明天早上可能会下大雨的缘故，所以学校决定把运动会推迟到下周举行。", "因可能下大雨，运动会推迟到下周。", "zh"),
    Rewrite("我个人认为，这部电影的故事情节非常精彩，非常值得大家去电影院观看一下。", "这部电影很精彩，值得一看。", "zh"),
    Rewrite("因为这家商店的东西价格比较便宜，而且质量也很好，所以来买东西的人非常多。", "这家店物美价廉，顾客很多。", "zh"),
    Rewrite("在经过了很长时间的认真讨论之后，大家最后终于决定一起去海边旅行。", "讨论后，大家决定去海边旅行。", "zh"),
    Rewrite("他每天早上都会很早起床，然后去公园里跑步锻炼身体。", "他每天早起去公园跑步。", "zh"),
    # Held out.
    Rewrite("Since the bus was late again this morning, most of the students arrived at school after the bell.",
            "The late bus made most students late.", "en", held_out=True),
    Rewrite("由于图书馆正在进行内部装修的原因，所以本周末图书馆将暂停对外开放。", "图书馆装修，本周末闭馆。", "zh", held_out=True),
)

# English / Chinese phrase pairs for the translation instructions (SFT) and phrasebook pages (corpus).
PHRASES: tuple[tuple[str, str], ...] = (
    ("Good morning.", "早上好。"),
    ("Thank you very much.", "非常感谢。"),
    ("Where is the library?", "图书馆在哪里？"),
    ("I like reading books.", "我喜欢读书。"),
    ("The weather is nice today.", "今天天气很好。"),
    ("See you tomorrow.", "明天见。"),
    ("How much is this?", "这个多少钱？"),
    ("I am very happy.", "我很高兴。"),
    ("Please sit down.", "请坐。"),
    ("I am hungry.", "我饿了。"),
    ("What time is it?", "现在几点了？"),
    ("Happy birthday!", "生日快乐！"),
    ("Nice to meet you.", "很高兴认识你。"),
    ("I love my family.", "我爱我的家人。"),
    ("The cat is sleeping.", "猫在睡觉。"),
    ("Let's go to the park.", "我们去公园吧。"),
)


@dataclass(frozen=True)
class Poem:
    topic_en: str
    topic_zh: str
    lines_en: tuple[str, ...]
    lines_zh: tuple[str, ...]
    held_out: bool = False


POEMS: tuple[Poem, ...] = (
    Poem("spring", "春天",
         ("Soft rain wakes the sleeping ground,", "Green leaves open all around,",
          "Birds come home with happy song,", "Spring is here, the days grow long."),
         ("春风吹绿小河边，", "桃花笑红三月天。", "燕子飞回寻旧梦，", "田里农夫种新田。")),
    Poem("the moon", "月亮",
         ("A bright lamp above the hill,", "The night is calm, the air is still,",
          "The moon looks down on every home,", "So no one walks the dark alone."),
         ("一轮明月挂天边，", "清光洒满小窗前。", "千里之外人相望，", "同看月色共团圆。")),
    Poem("rain", "雨",
         ("Rain taps softly on the pane,", "Washing dust from road and lane,",
          "Flowers drink and rivers fill,", "Then the world is green and still."),
         ("细雨轻轻落屋檐，", "滴答声里入梦甜。", "草木喝饱精神好，", "明朝推窗满眼鲜。")),
    Poem("winter", "冬天",
         ("White snow covers field and tree,", "Frozen is the quiet sea,",
          "By the fire we sit and wait,", "Spring will come, though it is late."),
         ("北风呼呼雪花飘，", "银装素裹万里遥。", "围炉煮茶话家常，", "静待春来柳枝摇。")),
    Poem("the mountains", "高山",
         ("The mountains stand so tall and proud,", "Their heads are hidden in the cloud,",
          "They watch the years go slowly by,", "Between the valley and the sky."),
         ("青山高耸入云端，", "松柏常青不畏寒。", "登上峰顶极目望，", "万里江河眼底看。")),
    Poem("friendship", "友谊",
         ("A friend is there when skies are gray,", "A friend will help you find your way,",
          "In happy times and sad ones too,", "A friend will always stand by you."),
         ("朋友相伴路不长，", "风雨同行心不慌。", "一杯清茶说往事，", "情谊深深似水长。")),
    Poem("the night", "夜晚",
         ("The stars come out one by one,", "The busy working day is done,",
          "The city lights begin to glow,", "And sleepy dreams come soft and slow."),
         ("夜色轻轻盖大地，", "满天星星眨眼睛。", "万家灯火渐渐暗，", "梦里花开月正明。")),
    Poem("the river", "小河",
         ("The river runs from hill to sea,", "It sings a song for you and me,",
          "It never stops and never sleeps,", "And secrets of the land it keeps."),
         ("小河弯弯向东流，", "清清河水照垂柳。", "鱼儿游来又游去，", "唱着歌儿不停留。")),
    # Held out.
    Poem("the sea", "大海",
         ("The sea is wide, the sea is blue,", "It rolls and shines the whole day through,",
          "The waves come in and slip away,", "And gulls above them dance and play."),
         ("大海宽宽望无边，", "蓝色波浪接蓝天。", "海鸥展翅浪花上，", "渔船归来夕阳前。"),
         held_out=True),
    Poem("autumn", "秋天",
         ("The leaves turn red and fall to ground,", "The geese fly south without a sound,",
          "The fields are full of golden grain,", "And cool winds whisper down the lane."),
         ("秋风吹过稻田黄，", "枫叶红红挂山冈。", "大雁排队向南飞，", "丰收果实满仓香。"),
         held_out=True),
)


@dataclass(frozen=True)
class Story:
    topic_en: str
    topic_zh: str
    text_en: str
    text_zh: str
    summary_en: str = ""
    summary_zh: str = ""
    held_out: bool = False


STORIES: tuple[Story, ...] = (
    Story("a lost kitten", "一只迷路的小猫",
          "A little kitten wandered far from home and could not find its way back. A kind girl saw it crying under "
          "a tree. She carried it from door to door until an old man opened his arms and smiled. The kitten was home.",
          "一只小猫贪玩跑远了，找不到回家的路。一个小女孩看见它在树下哭，就抱着它挨家挨户地问。"
          "最后，一位老爷爷笑着接过小猫。小猫终于回家了。",
          "A kind girl helps a lost kitten find its way home.",
          "一个好心的小女孩帮迷路的小猫找到了家。"),
    Story("honesty", "诚实",
          "Sam found a wallet on the street. It had a lot of money in it. He thought about keeping it, but he took it "
          "to the police instead. The next day the owner came to thank him, and Sam felt proud.",
          "小明在路上捡到一个钱包，里面有很多钱。他想了想，还是把钱包交给了警察。"
          "第二天，失主专门来感谢他，小明心里很高兴。",
          "Sam hands in a wallet he found and is thanked by its owner.",
          "小明把捡到的钱包交给警察，受到了失主的感谢。"),
    Story("hard work", "坚持",
          "Mia wanted to play the piano, but her fingers were slow. Every day she practiced for one hour. After a "
          "year, she played a whole song at the school concert, and everyone clapped.",
          "小红想学钢琴，可是一开始弹得很慢。她每天坚持练习一个小时。"
          "一年后，她在学校的音乐会上弹完了一整首曲子，大家都为她鼓掌。",
          "By practicing every day, Mia learns to play a whole song on the piano.",
          "小红每天坚持练琴，一年后在音乐会上成功演奏。"),
    Story("a rainy day", "下雨天",
          "It rained all day, so Leo could not play outside. He was sad at first. Then his father built a tent of "
          "blankets in the living room, and they read stories inside it until bedtime.",
          "下了一整天的雨，小亮不能出去玩，有点难过。爸爸用毯子在客厅里搭了一个帐篷，"
          "他们躲在里面讲故事，一直讲到睡觉的时候。",
          "On a rainy day, Leo and his father read stories in a blanket tent.",
          "下雨天，爸爸陪小亮在毯子帐篷里讲故事。"),
    # Held out.
    Story("a brave little bird", "勇敢的小鸟",
          "A little bird was afraid to fly. Each day it watched the other birds from the nest. One morning a strong "
          "wind shook the tree, and the bird spread its wings. To its surprise, it did not fall. It flew!",
          "一只小鸟很怕飞。它每天都待在窝里，看着别的鸟儿在天上飞。一天早上，大风吹得树枝直晃，"
          "小鸟鼓起勇气张开翅膀。它没有掉下去，它飞起来了！",
          held_out=True),
    Story("two good friends", "两个好朋友",
          "A bear and a rabbit were good friends. When the rabbit was sick, the bear brought fresh carrots every "
          "day. When the rabbit was well again, it held the bear's paw and said, \"I am glad you are my friend.\"",
          "小熊和小兔是好朋友。有一天小兔生病了，小熊每天都给它送去新鲜的胡萝卜。"
          "小兔病好了以后，拉着小熊的手说：有你这样的朋友真好。",
          held_out=True),
)


@dataclass(frozen=True)
class Function:
    name: str
    desc_en: str  # completes "Write a Python function that ..."
    desc_zh: str  # completes "写一个Python函数，..."
    code: str
    held_out: bool = False


FUNCTIONS: tuple[Function, ...] = (
    Function("add", "returns the sum of two numbers", "返回两个数的和",
             "def add(a, b):\n    return a + b"),
    Function("subtract", "returns the difference of two numbers", "返回两个数的差",
             "def subtract(a, b):\n    return a - b"),
    Function("multiply", "returns the product of two numbers", "返回两个数的积",
             "def multiply(a, b):\n    return a * b"),
    Function("square", "returns the square of a number", "返回一个数的平方",
             "def square(x):\n    return x * x"),
    Function("cube", "returns the cube of a number", "返回一个数的立方",
             "def cube(x):\n    return x * x * x"),
    Function("is_even", "checks whether a number is even", "判断一个数是不是偶数",
             "def is_even(n):\n    return n % 2 == 0"),
    Function("is_odd", "checks whether a number is odd", "判断一个数是不是奇数",
             "def is_odd(n):\n    return n % 2 == 1"),
    Function("maximum", "returns the larger of two numbers", "返回两个数中较大的一个",
             "def maximum(a, b):\n    if a > b:\n        return a\n    return b"),
    Function("minimum", "returns the smaller of two numbers", "返回两个数中较小的一个",
             "def minimum(a, b):\n    if a < b:\n        return a\n    return b"),
    Function("absolute", "returns the absolute value of a number", "返回一个数的绝对值",
             "def absolute(x):\n    if x < 0:\n        return -x\n    return x"),
    Function("sum_list", "returns the sum of a list of numbers", "返回一个列表中所有数的和",
             "def sum_list(numbers):\n    total = 0\n    for n in numbers:\n        total += n\n    return total"),
    Function("average", "returns the average of a list of numbers", "返回一个列表的平均值",
             "def average(numbers):\n    return sum(numbers) / len(numbers)"),
    Function("count_words", "counts the words in a sentence", "统计一句话中的单词数",
             "def count_words(text):\n    return len(text.split())"),
    Function("greet", "returns a greeting for a name", "根据名字返回一句问候语",
             "def greet(name):\n    return \"Hello, \" + name + \"!\""),
    Function("rectangle_area", "returns the area of a rectangle", "返回长方形的面积",
             "def rectangle_area(width, height):\n    return width * height"),
    Function("list_max", "returns the largest number in a list", "返回列表中最大的数",
             "def list_max(numbers):\n    best = numbers[0]\n    for n in numbers:\n        if n > best:\n"
             "            best = n\n    return best"),
    Function("first_item", "returns the first item of a list", "返回列表的第一个元素",
             "def first_item(items):\n    return items[0]"),
    Function("is_prime", "checks whether a number is prime", "判断一个数是不是质数",
             "def is_prime(n):\n    if n < 2:\n        return False\n    for i in range(2, n):\n"
             "        if n % i == 0:\n            return False\n    return True"),
    # Held out.
    Function("factorial", "returns the factorial of n", "计算n的阶乘",
             "def factorial(n):\n    result = 1\n    for i in range(2, n + 1):\n        result *= i\n    return result",
             held_out=True),
    Function("fibonacci", "returns the n-th Fibonacci number", "返回第n个斐波那契数",
             "def fibonacci(n):\n    if n <= 1:\n        return n\n    return fibonacci(n - 1) + fibonacci(n - 2)",
             held_out=True),
    Function("reverse_string", "reverses a string", "把一个字符串反转",
             "def reverse_string(s):\n    return s[::-1]", held_out=True),
    Function("celsius_to_fahrenheit", "converts Celsius to Fahrenheit", "把摄氏度转换成华氏度",
             "def celsius_to_fahrenheit(c):\n    return c * 9 / 5 + 32", held_out=True),
    Function("is_palindrome", "checks whether a word is a palindrome", "判断一个单词是不是回文",
             "def is_palindrome(word):\n    return word == word[::-1]", held_out=True),
    Function("count_vowels", "counts the vowels in a string", "统计字符串中元音字母的个数",
             "def count_vowels(s):\n    return sum(1 for ch in s if ch in \"aeiou\")", held_out=True),
)


@dataclass(frozen=True)
class Kind:
    """A category for syllogisms: singular / plural English, Chinese name and measure word."""

    en: str
    en_plural: str
    zh: str
    measure_zh: str


KINDS: dict[str, Kind] = {k.en: k for k in (
    Kind("cat", "cats", "猫", "只"),
    Kind("animal", "animals", "动物", "种"),
    Kind("rose", "roses", "玫瑰", "朵"),
    Kind("flower", "flowers", "花", "种"),
    Kind("sparrow", "sparrows", "麻雀", "只"),
    Kind("bird", "birds", "鸟", "种"),
    Kind("apple", "apples", "苹果", "个"),
    Kind("fruit", "fruits", "水果", "种"),
    Kind("oak", "oaks", "橡树", "棵"),
    Kind("tree", "trees", "树", "种"),
    Kind("whale", "whales", "鲸", "头"),
    Kind("mammal", "mammals", "哺乳动物", "种"),
    Kind("salmon", "salmon", "三文鱼", "条"),
    Kind("fish", "fish", "鱼", "种"),
    Kind("carrot", "carrots", "胡萝卜", "根"),
    Kind("vegetable", "vegetables", "蔬菜", "种"),
    Kind("piano", "pianos", "钢琴", "架"),
    Kind("instrument", "instruments", "乐器", "种"),
    Kind("car", "cars", "汽车", "辆"),
    Kind("vehicle", "vehicles", "交通工具", "种"),
)}

# (kind, category it belongs to) for "All A are B" and (kind, category it is not) for "No A are B".
SYLLOGISMS_ALL: tuple[tuple[str, str], ...] = (
    ("cat", "animal"), ("rose", "flower"), ("sparrow", "bird"), ("apple", "fruit"), ("oak", "tree"),
    ("whale", "mammal"), ("salmon", "fish"), ("carrot", "vegetable"), ("piano", "instrument"), ("car", "vehicle"),
)
SYLLOGISMS_NO: tuple[tuple[str, str], ...] = (
    ("salmon", "mammal"), ("cat", "bird"), ("oak", "animal"), ("car", "animal"), ("apple", "vegetable"),
    ("whale", "fish"), ("rose", "tree"), ("piano", "vehicle"),
)
# Names given to the individual in a syllogism ("Tom is a cat").
THING_NAMES_EN = ("Tom", "Kitty", "Rosy", "Pip", "Max", "Willy", "Sunny", "Bolt", "Ruby", "Oscar", "Finn", "Lulu")
THING_NAMES_ZH = ("咪咪", "小花", "点点", "豆豆", "壮壮", "笨笨", "闪电", "贝贝", "乐乐", "毛毛")
# (kind, category, name) syllogisms kept for the demo suite only.
SYLLOGISMS_HELD_OUT_EN = (("all", "whale", "mammal", "Moby"), ("no", "salmon", "mammal", "Goldie"))
SYLLOGISMS_HELD_OUT_ZH = (("all", "rose", "flower", "红红"), ("no", "car", "animal", "飞飞"))

# Multiplication facts (a, b) kept for the demo suite only; all others appear in the SFT data.
PRODUCTS_HELD_OUT_EN: tuple[tuple[int, int], ...] = ((7, 8),)
PRODUCTS_HELD_OUT_ZH: tuple[tuple[int, int], ...] = ((9, 6),)
