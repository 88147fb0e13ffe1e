"""The article texts of the regression pages: written for this project (no third-party text).

Each body is a title, an author, a date and a list of blocks — ("p", text), ("h2", text),
("ul", [items]), ("ol", [items]), ("table", [[cells], …]) — in the page's language.
``build.py`` wraps them in page skeletons with the furniture real news sites put around
and inside an article; the blocks alone are the expected text.
"""

from __future__ import annotations

BODIES: dict[str, dict] = {}


def body(key: str, lang: str, title: str, author: str, when: str, blocks: list) -> None:
    BODIES[key] = {"lang": lang, "title": title, "author": author, "date": when, "blocks": blocks}


body("harbour", "en", "Harbour town votes to rebuild its storm wall before winter",
     "Maya Linwood", "2024-03-05", [
    ("p", "The council of Port Ellery voted seven to two on Tuesday night to rebuild the "
          "eastern storm wall, a concrete barrier first poured in 1962 that cracked in two "
          "places during the February gales."),
    ("p", "Engineers told the meeting that the wall could fail in a storm of similar strength, "
          "flooding about 140 homes and the fish market that employs a fifth of the town's "
          "working population."),
    ("p", "The work is expected to cost 4.2 million pounds, of which the regional authority has "
          "promised to pay roughly half. The rest will come from the town's reserves and a "
          "loan that will be repaid over twenty years."),
    ("h2", "Residents divided over the timing"),
    ("p", "Several residents who spoke at the meeting asked the council to wait until the "
          "summer tourist season was over, saying that closing the promenade in July would "
          "hurt cafés and boat tour operators who are still recovering from last year."),
    ("p", "Councillor Ruth Ambrose said the risk of waiting was too great. \"We cannot ask "
          "people to sleep next to a cracked wall for another winter and hope for calm seas,\" "
          "she said."),
    ("p", "Construction is due to start in May and to finish before the end of October, when "
          "the autumn storm season usually begins."),
])

body("rover", "en", "Small lunar rover sends back its first panoramic images",
     "Daniel Okafor", "2024-01-19", [
    ("p", "A shoebox-sized rover built by a university team has sent back its first panoramic "
          "images from the Moon, two days after its lander touched down near the rim of a "
          "shallow crater in the southern highlands."),
    ("p", "The images, stitched from forty-eight smaller frames, show a grey plain scattered "
          "with boulders and the long shadow of the lander stretching towards the horizon."),
    ("p", "Team members said the rover had driven eleven metres so far, stopping every two "
          "metres to let its motors cool. Its batteries are charged by a single folding solar "
          "panel and must last through the fourteen days of lunar daylight."),
    ("p", "The mission cost less than a tenth of a typical planetary probe, which the team "
          "says shows that universities can take part in lunar science without waiting for "
          "large agencies to fly their instruments."),
    ("p", "The next task is to drive to a patch of brighter soil about thirty metres away, "
          "where a small spectrometer will measure how much iron and titanium the surface holds."),
])

body("bakery", "en", "The night shift: inside a bakery that feeds a city before dawn",
     "Priya Raman", "2023-11-12", [
    ("p", "At two in the morning the ovens at the Calder Street bakery are already hot, and "
          "the first trays of rye loaves are waiting on steel racks for the delivery vans that "
          "leave at half past four."),
    ("p", "Eleven people work the night shift. Most of them started as cleaners or drivers and "
          "learned to shape dough by watching the older bakers, a tradition the owner says she "
          "has no intention of replacing with a training manual."),
    ("p", "The bakery makes about three thousand loaves a night, along with rolls for twelve "
          "schools and two hospitals. Demand rises by a third in the week before the winter "
          "holidays, when the shift starts an hour earlier."),
    ("p", "Energy is now the largest cost after wages. The owner replaced two of the four gas "
          "ovens with electric ones last spring and says the bills have fallen, although the "
          "crust, the bakers insist, is not quite the same."),
    ("p", "When the last van leaves, the bakers sit down together for coffee and the broken "
          "loaves that could not be sold, before going home as the rest of the city wakes up."),
])

body("rail", "en", "Regional rail timetable to add late trains from June",
     "Tom Hallett", "2024-04-22", [
    ("p", "The regional rail operator will add four late-evening trains on its busiest line "
          "from the second week of June, after passenger groups complained that the last "
          "train left the city centre before most theatres had closed."),
    ("p", "The new services will leave the central station at the times below, calling at "
          "every station on the line."),
    ("table", [["Departure", "Destination", "Days"],
               ["22:40", "Millbrook", "Monday to Saturday"],
               ["23:10", "Ashford Vale", "Monday to Saturday"],
               ["23:45", "Millbrook", "Friday and Saturday"],
               ["00:20", "Ashford Vale", "Friday and Saturday"]]),
    ("p", "The operator said the extra trains would be run with carriages that are currently "
          "parked overnight, so no new rolling stock is needed. Fares will be the same as on "
          "daytime off-peak services."),
    ("p", "Passenger groups welcomed the change but asked for Sunday services as well, which "
          "the operator said it would consider once it had a year of figures for the new trains."),
])

body("recipe", "en", "How the city's community kitchens cut food waste by half",
     "Lena Fischer", "2023-09-30", [
    ("p", "Three community kitchens that cook with food donated by supermarkets say they have "
          "cut the amount they throw away by half in a year, mostly by changing when and how "
          "they collect it."),
    ("p", "The kitchens shared the steps that made the biggest difference:"),
    ("ul", ["Collecting every morning instead of twice a week, so vegetables arrive fresh",
            "Planning menus after the collection rather than before it",
            "Freezing bread and cooked grains on the day they arrive",
            "Giving surplus fruit to a school breakfast club nearby"]),
    ("p", "Volunteers weigh everything that comes in and everything that is thrown out, and "
          "the figures are written on a board by the kitchen door so that everyone can see "
          "how the week is going."),
    ("p", "The kitchens now serve about nine hundred meals a week between them and hope to "
          "open a fourth site in the north of the city next year."),
])

body("chess", "en", "Teenager wins national chess title after dramatic final round",
     "Sam Whitaker", "2024-02-11", [
    ("p", "A sixteen-year-old from Hollins won the national chess championship on Sunday, "
          "beating the defending champion in a final-round game that lasted nearly six hours."),
    ("p", "Going into the last round, the two players were level on points. The teenager, "
          "playing with the black pieces, sacrificed a knight early in the middlegame and "
          "spent most of the afternoon defending an endgame many spectators thought was lost."),
    ("p", "\"I was sure I had a draw at least,\" she said afterwards. \"When he ran short of "
          "time I saw that my king could walk up the board, and then it was over.\""),
    ("p", "The win gives her a place in the national team for the olympiad in September, "
          "where she will be the youngest player the country has ever sent."),
])

body("library", "en", "Old library reopens as a workshop for repairing everyday things",
     "Grace Mbeki", "2023-06-17", [
    ("p", "The former branch library on Orchard Road has reopened as a repair workshop where "
          "residents can bring broken lamps, bicycles, clothes and small appliances and fix "
          "them with the help of volunteers."),
    ("p", "The building had been empty for four years. A residents' group leased it from the "
          "council for a token rent on the condition that it is open to the public at least "
          "three days a week."),
    ("p", "On the first Saturday more than sixty people came through the door. Volunteers "
          "repaired toasters, replaced a zip on a winter coat and rebuilt the brakes of a "
          "child's bicycle while its owner watched."),
    ("p", "The group keeps a simple record of every repair, and says that roughly two thirds "
          "of the items brought in so far have left the building working again."),
])

body("vn-hoichor", "vi", "Hội chợ hàng nông sản vùng cao thu hút đông đảo người dân",
     "Minh Châu", "2024-10-14", [
    ("p", "Sáng 12/10, tại quảng trường trung tâm huyện, Sở Công Thương phối hợp với UBND "
          "huyện tổ chức khai mạc Hội chợ hàng nông sản vùng cao năm 2024 với hơn 120 gian "
          "hàng của các hợp tác xã và hộ sản xuất."),
    ("p", "Các sản phẩm được trưng bày gồm chè shan tuyết, mật ong rừng, gạo nếp nương, thịt "
          "trâu gác bếp và nhiều mặt hàng thủ công mỹ nghệ của đồng bào các dân tộc."),
    ("p", "Theo Ban tổ chức, hội chợ là dịp để các cơ sở sản xuất giới thiệu sản phẩm, tìm "
          "kiếm đối tác tiêu thụ và quảng bá thương hiệu nông sản địa phương tới du khách."),
    ("p", "Trong khuôn khổ hội chợ còn có chương trình giao lưu văn nghệ, thi gói bánh chưng "
          "và hội thảo chia sẻ kinh nghiệm bán hàng trên các sàn thương mại điện tử."),
    ("p", "Hội chợ kéo dài đến hết ngày 16/10, mở cửa phục vụ khách tham quan từ 8 giờ đến "
          "22 giờ hằng ngày."),
])

body("vn-giadien", "vi", "Giá điện sinh hoạt điều chỉnh tăng từ tháng 10",
     "Hoàng Lan", "2024-10-02", [
    ("p", "Từ ngày 11/10, giá bán lẻ điện bình quân được điều chỉnh tăng 4,8%, lên mức hơn "
          "2.100 đồng mỗi kWh chưa gồm thuế giá trị gia tăng."),
    ("p", "Mức giá cho từng bậc điện sinh hoạt sau điều chỉnh như sau:"),
    ("table", [["Bậc", "Sản lượng (kWh)", "Giá (đồng/kWh)"],
               ["Bậc 1", "0 - 50", "1.893"],
               ["Bậc 2", "51 - 100", "1.956"],
               ["Bậc 3", "101 - 200", "2.271"],
               ["Bậc 4", "201 - 300", "2.860"]]),
    ("p", "Theo đơn vị điện lực, với mức tăng này, hộ gia đình sử dụng khoảng 200 kWh mỗi "
          "tháng sẽ trả thêm khoảng 20.000 đồng so với trước."),
    ("p", "Người dân được khuyến cáo sử dụng điện tiết kiệm, tắt các thiết bị khi không cần "
          "thiết và ưu tiên thiết bị có nhãn năng lượng."),
])

body("vn-ocop", "vi", "Nâng cao chất lượng sản phẩm OCOP để vươn ra thị trường lớn",
     "Thu Hà", "2024-07-08", [
    ("p", "Sau 5 năm triển khai chương trình Mỗi xã một sản phẩm, toàn tỉnh đã có 186 sản phẩm "
          "đạt từ 3 sao trở lên, trong đó nhiều sản phẩm đã có mặt tại các hệ thống siêu thị "
          "lớn trong nước."),
    ("p", "Tuy vậy, phần lớn chủ thể sản xuất vẫn là hộ gia đình và tổ hợp tác quy mô nhỏ, "
          "thiếu vốn đầu tư máy móc, bao bì chưa hấp dẫn và sản lượng chưa ổn định."),
    ("h2", "Chú trọng khâu bảo quản và truy xuất nguồn gốc"),
    ("p", "Nhiều cơ sở đã chủ động đầu tư kho lạnh, máy đóng gói hút chân không và in mã QR "
          "truy xuất nguồn gốc trên từng sản phẩm để đáp ứng yêu cầu của các nhà phân phối."),
    ("p", "Ông Trần Văn Hùng, chủ một cơ sở chế biến miến dong, cho biết từ khi có mã truy "
          "xuất, đơn hàng từ các cửa hàng thực phẩm sạch ở thành phố tăng gần gấp đôi."),
    ("p", "Thời gian tới, tỉnh tiếp tục hướng dẫn các chủ thể hoàn thiện hồ sơ, nâng hạng sản "
          "phẩm và tham gia các chương trình xúc tiến thương mại trong và ngoài tỉnh."),
])

body("vn-xangdau", "vi", "Thị trường xăng dầu ổn định trong dịp cao điểm",
     "Quang Huy", "2024-04-29", [
    ("p", "Theo Sở Công Thương, trong những ngày cao điểm nghỉ lễ, hệ thống cửa hàng xăng dầu "
          "trên địa bàn tỉnh hoạt động bình thường, không xảy ra tình trạng thiếu hàng cục bộ."),
    ("p", "Các doanh nghiệp đầu mối đã tăng lượng hàng dự trữ thêm khoảng 15% so với ngày "
          "thường và bố trí xe bồn sẵn sàng tiếp hàng cho các cửa hàng ở vùng xa."),
    ("p", "Đoàn kiểm tra liên ngành đã kiểm tra 42 cửa hàng, nhắc nhở một số cơ sở niêm yết "
          "giá chưa đúng quy định và yêu cầu khắc phục ngay."),
    ("p", "Sở Công Thương đề nghị người dân phản ánh kịp thời qua đường dây nóng nếu phát hiện "
          "cửa hàng ngừng bán hàng không có lý do chính đáng."),
])

body("vn-thuongmaidientu", "vi", "Doanh nghiệp nhỏ học cách bán hàng trên sàn thương mại điện tử",
     "Ngọc Anh", "2024-05-20", [
    ("p", "Ngày 18/5, Trung tâm Xúc tiến thương mại tỉnh tổ chức lớp tập huấn kỹ năng bán hàng "
          "trực tuyến cho gần 80 học viên là chủ cơ sở sản xuất và hợp tác xã."),
    ("p", "Các học viên được hướng dẫn cách mở gian hàng, chụp ảnh sản phẩm, viết mô tả và "
          "xử lý đơn hàng trên các sàn thương mại điện tử phổ biến."),
    ("p", "Nội dung lớp học gồm các phần chính:"),
    ("ol", ["Đăng ký gian hàng và xác minh thông tin người bán",
            "Chụp ảnh và quay video sản phẩm bằng điện thoại",
            "Định giá, khuyến mãi và phí vận chuyển",
            "Chăm sóc khách hàng và xử lý đánh giá"]),
    ("p", "Nhiều học viên cho biết sau lớp học sẽ mở gian hàng ngay trong tháng để đưa sản phẩm "
          "đặc sản của địa phương tới người tiêu dùng ở các thành phố lớn."),
])

body("vn-mua-lu", "vi", "Nông dân khẩn trương thu hoạch lúa trước mùa mưa lũ",
     "Văn Tùng", "2023-08-25", [
    ("p", "Những ngày này, trên các cánh đồng ở vùng trũng, nông dân tranh thủ thời tiết nắng "
          "ráo để thu hoạch lúa hè thu, tránh thiệt hại khi mùa mưa lũ đến sớm."),
    ("p", "Theo ngành nông nghiệp, đến nay đã có khoảng 70% diện tích lúa được thu hoạch, năng "
          "suất bình quân đạt hơn 6 tấn mỗi héc-ta, cao hơn vụ trước."),
    ("p", "Nhiều hợp tác xã đã huy động máy gặt đập liên hợp làm việc cả ngày lẫn đêm, đồng "
          "thời hỗ trợ xã viên phơi sấy để bảo đảm chất lượng hạt thóc."),
    ("p", "Chính quyền địa phương khuyến cáo người dân không để lúa chín quá lâu ngoài đồng và "
          "chuẩn bị sẵn phương án bảo vệ tài sản khi có thông tin về mưa lớn."),
])

body("fr-velo", "fr", "La ville inaugure une piste cyclable le long du canal",
     "Claire Dubois", "2024-05-03", [
    ("p", "La municipalité a inauguré samedi une piste cyclable de huit kilomètres le long du "
          "canal, reliant la gare au parc d'activités du nord de la ville."),
    ("p", "Les travaux ont duré quatorze mois et ont coûté environ 3,5 millions d'euros, "
          "financés pour moitié par la région. La piste est séparée de la route par une "
          "bordure et éclairée la nuit."),
    ("p", "Selon l'adjoint chargé des mobilités, près de deux mille salariés travaillent dans "
          "le parc d'activités et beaucoup d'entre eux habitent à moins de dix kilomètres."),
    ("p", "Les associations de cyclistes ont salué le projet tout en regrettant l'absence de "
          "stationnement sécurisé pour les vélos à la gare, promis pour l'an prochain."),
])

body("fr-fromage", "fr", "Une fromagerie de montagne relance une recette oubliée",
     "Julien Marchand", "2023-10-21", [
    ("p", "Dans un village d'altitude, une petite fromagerie coopérative a relancé la "
          "fabrication d'un fromage à pâte pressée que plus personne ne produisait depuis les "
          "années soixante."),
    ("p", "La recette a été retrouvée dans les carnets d'un ancien fromager, conservés par sa "
          "petite-fille. Il a fallu deux ans d'essais pour retrouver le goût décrit dans les notes."),
    ("p", "La coopérative réunit sept éleveurs et transforme chaque jour environ neuf cents "
          "litres de lait. Le nouveau fromage représente pour l'instant un dixième de la production."),
    ("p", "Les premières meules, affinées pendant six mois, ont été vendues en quelques semaines "
          "sur les marchés de la vallée."),
])

body("de-brücke", "de", "Neue Fußgängerbrücke verbindet beide Ufer der Altstadt",
     "Jonas Becker", "2024-06-14", [
    ("p", "Nach zweijähriger Bauzeit ist die neue Fußgängerbrücke über den Fluss am Freitag "
          "für den Verkehr freigegeben worden. Sie verbindet die Altstadt mit dem neuen "
          "Wohnviertel am Südufer."),
    ("p", "Die Brücke ist 140 Meter lang und besteht aus einer schlanken Stahlkonstruktion. "
          "Die Kosten lagen mit rund 9 Millionen Euro leicht über der ursprünglichen Planung."),
    ("p", "Bürgermeisterin Katrin Vogel sagte bei der Eröffnung, die Brücke verkürze den Weg "
          "zur Schule und zum Bahnhof für mehrere tausend Menschen um bis zu zwanzig Minuten."),
    ("p", "Radfahrer dürfen die Brücke nur schiebend benutzen. Eine eigene Radverbindung ist "
          "weiter flussabwärts geplant."),
])

body("de-obst", "de", "Obstbauern rechnen nach warmem Frühjahr mit früher Ernte",
     "Anna Schuster", "2023-07-02", [
    ("p", "Die Obstbauern der Region erwarten in diesem Jahr eine frühe und reiche Kirschenernte. "
          "Das warme Frühjahr habe die Blüte um fast zwei Wochen verfrüht, teilte der "
          "Erzeugerverband mit."),
    ("p", "Sorgen bereitet den Betrieben dagegen der Mangel an Erntehelfern. Viele Höfe suchen "
          "noch Arbeitskräfte für die Wochen zwischen Ende Juni und Mitte August."),
    ("p", "Der Verband rät Verbrauchern, Kirschen direkt beim Erzeuger zu kaufen, weil sie dort "
          "oft am selben Tag gepflückt werden und länger frisch bleiben."),
])

body("es-agua", "es", "El pueblo recupera su antiguo sistema de acequias",
     "Lucía Herrera", "2024-02-27", [
    ("p", "Los vecinos de un pequeño municipio de la sierra han terminado de limpiar y reparar "
          "las acequias medievales que durante siglos regaron las huertas del valle."),
    ("p", "El trabajo, realizado por voluntarios durante tres inviernos, ha permitido devolver "
          "el agua a más de cuarenta parcelas que estaban abandonadas."),
    ("p", "Según la comunidad de regantes, el sistema reparte el agua por turnos que se "
          "anotan en un cuaderno, como se hacía hace cien años."),
    ("p", "El ayuntamiento quiere ahora organizar visitas guiadas para explicar a los "
          "visitantes cómo funciona la red y por qué es importante conservarla."),
])

body("it-treno", "it", "Riapre la linea ferroviaria di montagna dopo tre anni",
     "Marco Bellini", "2024-03-18", [
    ("p", "Dopo tre anni di lavori, la linea ferroviaria che collega la valle al capoluogo è "
          "stata riaperta lunedì mattina con un treno speciale accolto dalla banda del paese."),
    ("p", "Gli interventi hanno riguardato dodici gallerie e quattro ponti, oltre alla "
          "sostituzione completa dei binari su un tratto di venti chilometri."),
    ("p", "I pendolari potranno contare su un treno ogni ora nelle fasce di punta, con un tempo "
          "di percorrenza ridotto di un quarto d'ora rispetto al passato."),
])

body("nl-dijk", "nl", "Dijkversterking langs de rivier bijna klaar",
     "Pieter de Graaf", "2023-12-04", [
    ("p", "De versterking van de dijk langs de rivier tussen de twee dorpen is bijna voltooid. "
          "Het waterschap verwacht de laatste werkzaamheden voor de kerst af te ronden."),
    ("p", "Over een lengte van zes kilometer is de dijk verhoogd en verbreed. Aan de binnenkant "
          "is een nieuw fietspad aangelegd dat in het voorjaar open gaat."),
    ("p", "Bewoners hadden lange tijd last van bouwverkeer, maar zijn volgens het waterschap "
          "tevreden over het resultaat en de nieuwe uitzichtpunten op de dijk."),
])

body("pt-feira", "pt", "Feira do livro regressa à praça central com mais editoras",
     "Rita Sousa", "2024-05-25", [
    ("p", "A feira do livro regressou este sábado à praça central da cidade, com mais de cem "
          "editoras e livreiros distribuídos por cento e quarenta pavilhões."),
    ("p", "A organização espera receber cerca de meio milhão de visitantes ao longo das três "
          "semanas, com sessões de autógrafos, debates e atividades para crianças todos os dias."),
    ("p", "Este ano, pela primeira vez, haverá um espaço dedicado a pequenas editoras "
          "independentes e a livros publicados em línguas regionais."),
])
