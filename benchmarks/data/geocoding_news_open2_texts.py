"""Marked texts for geocoding_news_open2.jsonl (our own invented sentences; see make_geocoding_news_open2.py)."""

TEXTS = [
    # --- US local news: the home region is implied by neighbouring towns and counties ---
    ("us_local", "Crews in [[Jackson|US/TN]] spent Thursday clearing trees after straight-line winds swept the "
     "highway toward [[Humboldt|US/TN]]. Emergency managers for [[Madison County|region:US@35.61,-88.83]] said "
     "outages also hit [[Alamo|US/TN]] and [[Bells|US/TN]], and a shelter opened at a gym in [[Milan|US/TN]]."),
    ("us_local", "The [[Columbia|US/MO]] school board approved a bond vote for April. Parents from [[Ashland|US/MO]] "
     "and [[Hallsville|US/MO]] asked for a new middle school, while the district said crowding is worst near "
     "[[Centralia|US/MO]]. [[Boone County|region:US@38.99,-92.31]] voters rejected a similar plan in 2019."),
    ("us_local", "Police in [[Chicopee|US/MA]] arrested a man wanted for a string of car break-ins in "
     "[[Springfield|US/MA]] and [[Holyoke|US/MA]]. Investigators said stolen tools were sold at a flea market in "
     "[[Westfield|US/MA]], and the [[Hampden County|region:US@42.14,-72.63]] district attorney will prosecute."),
    ("us_local", "Traffic on Interstate 26 backed up for miles between [[Irmo|US/SC]] and [[Columbia|US/SC]] after a "
     "tanker rolled over. Firefighters from [[Lexington|US/SC]] and [[Cayce|US/SC]] helped, and "
     "[[Richland County|region:US@34.02,-80.90]] deputies closed the ramps for four hours."),
    ("us_local", "A boil-water notice remained in place Monday for parts of [[Jackson|US/MS]] and [[Pearl|US/MS]]. "
     "The [[Rankin County|region:US@32.27,-89.95]] emergency office handed out bottled water in [[Brandon|US/MS]] "
     "and [[Flowood|US/MS]], and crews pumped the [[Pearl River|phys:US@32.30,-90.16]] intake again."),
    ("us_local", "[[Bourbon County|region:US@38.21,-84.22]] magistrates voted to repave the road from [[Paris|US/KY]] to "
     "[[Millersburg|US/KY]]. Farmers hauling tobacco to [[Cynthiana|US/KY]] and [[Winchester|US/KY]] had complained "
     "for years, and the state will pay half, a spokesman in [[Lexington|US/KY]] said."),
    ("us_local", "The [[Hocking River|phys:US@39.33,-82.10]] crested two feet above flood stage in [[Athens|US/OH]] on "
     "Saturday. Roads were closed near [[Nelsonville|US/OH]] and [[Albany|US/OH]], and [[Athens County|region:US@39.33,-82.05]] "
     "officials asked drivers headed to [[Logan|US/OH]] to use the bypass."),
    ("us_local", "Ferry service between [[Portland|US/ME]] and Peaks Island resumed after the storm, and the council in "
     "[[South Portland|US/ME]] reopened its beaches. Residents of [[Falmouth|id:4963985]] and [[Scarborough|US/ME]] "
     "reported erosion along [[Casco Bay|phys:US@43.70,-70.10]]."),
    ("us_local", "The [[Olmsted County|region:US@44.00,-92.40]] board agreed to share ambulance costs with "
     "[[Stewartville|US/MN]] and [[Byron|US/MN]]. Calls from [[Kasson|US/MN]] now wait up to 20 minutes for a crew "
     "from [[Rochester|US/MN]], a paramedic told the meeting."),
    ("us_local", "Purdue researchers in [[West Lafayette|US/IN]] will test water from the [[Wabash River|phys:US@40.42,-86.90]] "
     "below [[Lafayette|US/IN]]. Farmers near [[Delphi|US/IN]] and [[Frankfort|US/IN]] agreed to share records, "
     "and [[Tippecanoe County|region:US@40.39,-86.89]] will pay for the lab work."),
    ("us_local", "A barge broke loose on the [[Tennessee River|phys:US@34.79,-87.66]] near [[Florence|US/AL]] and struck "
     "a pier of the bridge to [[Sheffield|US/AL]]. Traffic was sent through [[Tuscumbia|US/AL]] and "
     "[[Muscle Shoals|US/AL]] while inspectors from [[Lauderdale County|region:US@34.90,-87.65]] checked the span."),
    ("us_local", "Voters in [[Alexandria|US/LA]] and [[Pineville|US/LA]] will decide on a sales tax for a new jail. "
     "The [[Rapides Parish|region:US@31.20,-92.53]] sheriff said inmates are now housed as far away as "
     "[[Leesville|US/LA]], and that the [[Red River|phys:US@31.30,-92.45]] levee project is a separate question."),
    ("us_local", "Commuters from [[Oswego|US/IL]] and [[Montgomery|US/IL]] face detours this summer as the bridge over "
     "the [[Fox River|phys:US@41.76,-88.31]] in [[Aurora|US/IL]] is rebuilt. [[Kane County|region:US@41.94,-88.43]] "
     "engineers said buses to [[Naperville|US/IL]] would run every 15 minutes."),
    ("us_local", "The [[Oconee County|region:US@33.83,-83.44]] commission approved 300 homes south of "
     "[[Watkinsville|US/GA]]. Traffic into [[Athens|US/GA]] is already heavy, neighbours said, and drivers from "
     "[[Madison|US/GA]] and [[Winder|US/GA]] use the same two-lane road."),
    ("us_local", "A gas leak forced evacuations in [[Whitehouse|US/TX]] on Tuesday. [[Smith County|region:US@32.38,-95.27]] "
     "fire crews from [[Tyler|US/TX]] and [[Lindale|US/TX]] responded, and a pipeline firm in [[Longview|US/TX]] "
     "sent a team. Students were moved to a school in [[Jacksonville|US/TX]]."),
    ("us_local", "The [[Willamette River|phys:US@44.94,-123.05]] ferry at Wheatland will stay closed until June, "
     "[[Polk County|region:US@44.90,-123.41]] said. Drivers from [[Independence|US/OR]] and [[Monmouth|US/OR]] "
     "must go through [[Salem|US/OR]] or [[Keizer|US/OR]], and a bus to [[Dallas|US/OR]] is being considered."),
    ("us_local", "[[Lima|US/OH]] firefighters battled a warehouse blaze overnight with help from [[Wapakoneta|US/OH]] "
     "and [[Delphos|US/OH]]. The [[Allen County|region:US@40.77,-84.11]] coroner confirmed one death, and a "
     "hazmat team came from [[Ottawa|US/OH]]. Smoke drifted as far as [[Bluffton|US/OH]]."),
    ("us_local", "Port officials in [[Vancouver|US/WA]] signed a lease with a grain exporter, adding 80 jobs. "
     "Workers commute from [[Camas|US/WA]], [[Battle Ground|US/WA]] and [[Longview|US/WA]], and "
     "[[Clark County|region:US@45.77,-122.48]] expects more truck traffic along the [[Columbia River|phys:US@45.62,-122.67]]."),
    ("us_local", "Flooding closed roads in [[Lititz|US/PA]] and [[Ephrata|US/PA]] after four inches of rain. "
     "[[Lancaster County|region:US@40.04,-76.25]] dispatchers said a car was swept off a bridge in "
     "[[Manheim|US/PA]], and the [[Susquehanna River|phys:US@40.03,-76.52]] is expected to crest in "
     "[[Columbia|US/PA]] on Friday."),
    ("us_local", "The [[Manchester|US/NH]] aldermen backed a shelter plan after towns including [[Bedford|US/NH]], "
     "[[Goffstown|US/NH]] and [[Hooksett|US/NH]] declined to host one. State officials in [[Concord|US/NH]] "
     "promised money for beds."),
    ("us_local", "Soldiers from Fort Riley joined volunteers in [[Manhattan|US/KS]] and [[Junction City|US/KS]] to "
     "sandbag homes. [[Riley County|region:US@39.30,-96.73]] said water reached the streets of [[Ogden|US/KS]], "
     "and the road to [[Wamego|US/KS]] was shut."),
    ("us_local", "[[Waterloo|US/IA]] and [[Cedar Falls|US/IA]] will share a new fire station near the city line. "
     "[[Black Hawk County|region:US@42.47,-92.31]] supervisors said [[Evansdale|US/IA]] and [[Waverly|US/IA]] may "
     "join, and that the [[Cedar River|phys:US@42.50,-92.34]] crossing would speed calls."),
    ("us_local", "A chemical spill on Highway 50 closed lanes between [[Kenosha|US/WI]] and [[Racine|US/WI]]. "
     "Residents of [[Pleasant Prairie|US/WI]] and [[Bristol|US/WI]] were told to keep windows shut, and crews "
     "checked drains that run to [[Lake Michigan|phys:US@42.60,-87.80]]."),
    ("us_local", "[[Warren County|region:US@36.99,-86.42]] schools in [[Bowling Green|US/KY]] will open two hours late "
     "after the ice storm. Districts in [[Glasgow|US/KY]], [[Franklin|US/KY]] and [[Scottsville|US/KY]] closed "
     "for the day, and the [[Barren River|phys:US@37.03,-86.45]] rose overnight."),
    ("us_local", "Hospital staff in [[Starkville|US/MS]] and [[Columbus|US/MS]] trained together for a mass-casualty "
     "drill. [[Lowndes County|region:US@33.47,-88.44]] deputies played the victims, and an ambulance crew from "
     "[[West Point|US/MS]] joined by the [[Tombigbee River|phys:US@33.50,-88.45]] bridge."),
    ("us_local", "A developer plans 200 homes in [[Grass Lake|US/MI]], close to the line with [[Jackson|US/MI]]. "
     "Township officials in [[Parma|US/MI]] and [[Albion|US/MI]] asked [[Jackson County|region:US@42.25,-84.42]] "
     "to study the water supply first."),
    ("us_local", "Wildfire smoke from [[California|state:CA]] hazed the sky over [[Reno|US/NV]] and "
     "[[Carson City|US/NV]]. Officials in [[Sparks|US/NV]] moved football games indoors, and [[Washoe County|region:US@40.66,-119.66]] "
     "warned that air near [[Lake Tahoe|phys:US@39.09,-120.04]] was unhealthy."),
    ("us_local", "The mayor of [[Florence|US/SC]] asked [[Columbia|US/SC]] for road money after a crash on Interstate 95 "
     "near [[Darlington|US/SC]]. Lawmakers from [[Hartsville|US/SC]] and [[Marion|US/SC]] backed the request."),
    # --- UK and Ireland ---
    ("uk_local", "Rail services between [[Perth|GB@56.40,-3.44]] and [[Dundee|GB@56.46,-2.97]] were cancelled after "
     "the [[River Tay|phys:GB@56.40,-3.40]] burst its banks. Buses ran from [[Crieff|GB@56.37,-3.84]] and "
     "[[Kinross|GB@56.21,-3.42]], and [[Scotland|region:GB@56.5,-4.0]]'s flood agency issued red warnings."),
    ("uk_local", "A steel firm in [[Newport|GB@51.59,-3.0]] will cut 200 jobs. Workers from [[Cwmbran|GB@51.65,-3.02]] "
     "and [[Caerleon|GB@51.61,-2.96]] protested outside the plant beside the [[River Usk|phys:GB@51.57,-2.99]], "
     "and ministers in [[Cardiff|GB@51.48,-3.18]] said they would help."),
    ("uk_local", "The [[River Shannon|phys:IE@53.42,-7.94]] rose again at [[Athlone|IE@53.42,-7.94]], and farmland near "
     "[[Mullingar|IE@53.53,-7.34]] and [[Longford|IE@53.72,-7.80]] flooded. [[County Westmeath|region:IE@53.53,-7.46]] "
     "council asked [[Dublin|IE@53.35,-6.26]] for emergency funding."),
    ("uk_local", "Soldiers from Catterick Garrison helped clear snow in [[Richmond|GB@54.40,-1.74]] and "
     "[[Northallerton|GB@54.34,-1.43]]. Drivers heading to [[Darlington|GB@54.52,-1.55]] were stuck for hours, "
     "and [[North Yorkshire|region:GB@54.17,-1.33]] gritters worked overnight."),
    ("uk_local", "Police in [[Armagh|GB@54.35,-6.65]] are investigating an arson attack on a shop. A similar fire hit "
     "[[Portadown|GB@54.42,-6.44]] last month, and detectives from [[Banbridge|GB@54.35,-6.28]] and "
     "[[Newry|GB@54.18,-6.34]] have joined the inquiry."),
    ("uk_local", "A new bus link joins [[Peterborough|GB@52.57,-0.24]], [[Stamford|GB@52.65,-0.48]] and "
     "[[Oakham|GB@52.67,-0.73]], with stops at Rutland Water. Councillors in [[Spalding|GB@52.79,-0.15]] asked "
     "why their town was left out."),
    # --- Canada ---
    ("ca_local", "Flood watches are in effect along the [[Thames River|phys:CA@42.98,-81.25]] in [[London|CA@42.98,-81.23]]. "
     "Officials in [[St. Thomas|name=St. Thomas;CA@42.78,-81.19]], [[Strathroy|CA@42.96,-81.62]] and "
     "[[Woodstock|CA@43.13,-80.75]] opened sandbag depots, and [[Middlesex County|region:CA@43.0,-81.5]] said "
     "roads may close."),
    ("ca_local", "Ferry service to [[Wolfe Island|phys:CA@44.18,-76.43]] from [[Kingston|CA@44.23,-76.48]] was suspended "
     "in high winds on [[Lake Ontario|phys:CA@43.70,-77.90]]. Commuters from [[Napanee|CA@44.25,-76.95]] and "
     "[[Gananoque|CA@44.33,-76.16]] found buses full, and [[Belleville|CA@44.16,-77.38]] sent a spare."),
    ("ca_local", "A power failure left 40,000 homes dark in [[Halifax|CA@44.65,-63.57]] and [[Dartmouth|CA@44.67,-63.58]]. "
     "Crews from [[Truro|CA@45.36,-63.28]] and [[Windsor|CA@44.99,-64.13]] were called in, and "
     "[[Nova Scotia|region:CA@45.0,-63.0]] Power blamed salt on the lines."),
    ("ca_local", "[[Ontario|region:CA@49.25,-84.5]] will fund a new hospital wing in [[Sudbury|CA@46.49,-80.99]]. "
     "Patients from [[Timmins|CA@48.47,-81.33]], [[North Bay|CA@46.31,-79.46]] and [[Manitoulin Island|phys:CA@45.75,-82.2]] "
     "now travel to [[Toronto|CA@43.70,-79.42]] for cancer care."),
    ("ca_local", "Wildfires forced the evacuation of [[Fort McMurray|CA@56.73,-111.38]] again, and [[Alberta|region:CA@52.28,-113.8]] "
     "declared an emergency. Evacuees drove south to [[Edmonton|CA@53.55,-113.47]] and [[Lac La Biche|CA@54.77,-111.96]]."),
    # --- Australia ---
    ("au_local", "Ferries from [[Fremantle|AU@-32.06,115.75]] to [[Rottnest Island|phys:AU@-32.0,115.5]] were cancelled as "
     "a storm hit [[Perth|AU@-31.95,115.86]]. Power was cut in [[Mandurah|AU@-32.53,115.72]] and "
     "[[Bunbury|AU@-33.33,115.64]], the [[Western Australia|region:AU@-25.0,122.0]] utility said."),
    ("au_local", "Mines in the [[Hunter Valley|phys:AU@-32.6,151.1]] shut as floodwater cut roads around "
     "[[Maitland|AU@-32.73,151.55]] and [[Cessnock|AU@-32.83,151.36]]. [[Newcastle|AU@-32.93,151.78]] port kept "
     "working, and [[New South Wales|region:AU@-33.0,146.0]] sent rescue crews."),
    ("au_local", "Trains between [[Ipswich|AU@-27.61,152.76]] and [[Brisbane|AU@-27.47,153.03]] were halted after a "
     "landslide. Farmers near [[Gatton|AU@-27.56,152.28]] and [[Toowoomba|AU@-27.56,151.95]] lost crops, "
     "[[Queensland|region:AU@-20.0,145.0]] officials said."),
    ("au_local", "Cruise ships will return to [[Launceston|AU@-41.44,147.13]] along the [[Tamar River|phys:AU@-41.2,146.9]]. "
     "Operators in [[Devonport|AU@-41.18,146.35]] and [[Burnie|AU@-41.05,145.91]] hope for more visitors, and "
     "[[Hobart|AU@-42.88,147.33]] will host the first stop, [[Tasmania|region:AU@-42.0,147.0]]'s premier said."),
    # --- India ---
    ("in_local", "Heavy rain flooded villages in [[Aurangabad|IN@24.75,84.37]] and [[Gaya|IN@24.79,85.0]] districts. "
     "Officials in [[Patna|IN@25.59,85.14]] said rescue teams reached [[Sasaram|IN@24.95,84.03]], and "
     "[[Bihar|region:IN@25.75,85.75]] asked for army help."),
    ("in_local", "The metro line between [[Secunderabad|IN@17.44,78.5]] and [[Hyderabad|IN@17.38,78.46]] will be "
     "extended. [[Telangana|region:IN@17.9,79.0]] also plans a rail link to [[Warangal|IN@17.97,79.6]], and "
     "[[Andhra Pradesh|region:IN@16.0,80.0]] wants it to reach [[Vijayawada|IN@16.51,80.62]]."),
    ("in_local", "Boats resumed on the backwaters at [[Alappuzha|IN@9.49,76.33]] after the flood. Tourists in "
     "[[Kochi|IN@9.94,76.26]] and [[Kottayam|IN@9.58,76.52]] were told to avoid the [[Periyar|phys:IN@10.1,76.3]] "
     "banks, [[Kerala|region:IN@10.4,76.4]]'s tourism office said."),
    # --- Nigeria ---
    ("africa", "Insurgents attacked a convoy between [[Maiduguri|NG@11.85,13.16]] and [[Bama|NG@11.52,13.69]] in "
     "[[Borno State|region:NG@11.5,13.0]]. Troops from [[Konduga|NG@11.65,13.42]] repelled them, and aid flights "
     "to [[Gwoza|NG@11.08,13.69]] were suspended, officials in [[Abuja|NG@9.06,7.5]] said."),
    ("africa", "Traders in [[Jos|NG@9.93,8.89]] shut their shops after clashes in [[Bukuru|NG@9.79,8.87]]. "
     "[[Plateau State|region:NG@9.17,9.75]] imposed a curfew, and police reinforcements came from "
     "[[Bauchi|NG@10.31,9.84]]."),
    ("africa", "Oil workers in [[Warri|NG@5.52,5.75]] began a strike, and the stoppage spread to "
     "[[Port Harcourt|NG@4.78,7.01]]. [[Delta State|region:NG@5.5,6.0]] officials met union leaders in "
     "[[Sapele|NG@5.89,5.68]]."),
    # --- Philippines ---
    ("asia", "Flights at Mactan airport in [[Lapu-Lapu City|name=Lapu-Lapu City;PH@10.31,123.95]] were delayed as a "
     "typhoon neared [[Cebu City|PH@10.32,123.89]]. Ferries to [[Bohol|phys:PH@9.85,124.15]] were cancelled, and "
     "schools in [[Mandaue|name=Mandaue City;PH@10.32,123.92]] closed."),
    ("asia", "Soldiers cleared a checkpoint outside [[Marawi|name=Marawi City;PH@8.0,124.29]] in "
     "[[Lanao del Sur|region:PH@7.83,124.33]]. The army said the gunmen fled toward [[Iligan|name=Iligan City;PH@8.23,124.24]], "
     "and officials in [[Manila|PH@14.6,120.98]] promised more troops for [[Mindanao|phys:PH@8.0,125.0]]."),
    ("asia", "Ash from [[Mount Pinatubo|phys:PH@15.14,120.35]] has not fallen since 1991, but farmers in "
     "[[Tarlac|name=Tarlac City;PH@15.48,120.59]] and [[Angeles|name=Angeles City;PH@15.15,120.58]] still dig it from "
     "their fields, the mayor of [[San Fernando|PH@15.03,120.69]] said."),
    # --- International wire stories (metonymy, capitals, provinces and oblasts) ---
    ("europe", "[[Kyiv|name=Kiev;UA@50.45,30.52]] said Russian troops shelled [[Kupiansk|UA@49.71,37.62]] in "
     "[[Kharkiv Oblast|region:UA@49.5,36.5]] overnight. [[Moscow|RU@55.75,37.62]] claimed a strike on a depot "
     "near the [[Oskil|phys:UA@49.5,37.6]] river, and officials in [[Belgorod|RU@50.6,36.59]] reported drones."),
    ("mideast", "Negotiators met in [[Cairo|EG@30.06,31.25]] and [[Doha|QA@25.29,51.53]] as fighting went on in "
     "[[Rafah|PS@31.29,34.25]]. [[Washington|US@38.9,-77.04]] urged [[Israel|country:IL]] to open crossings into "
     "the [[Gaza Strip|region:PS@31.42,34.35]], while [[Qatar|country:QA]] said talks had stalled."),
    ("africa", "Paramilitary forces besieged [[El Fasher|name=El Fasher;SD@13.63,25.35]] in "
     "[[North Darfur|region:SD@15.77,24.9]], the United Nations said. Aid trucks from [[Chad|country:TD]] were "
     "stopped, and the army-backed government in [[Port Sudan|SD@19.62,37.22]] appealed for help."),
    ("latam", "[[Caracas|VE@10.49,-66.88]] and [[Bogotá|name=Bogota;CO@4.61,-74.08]] reopened the border bridge at "
     "[[Cúcuta|name=Cucuta;CO@7.89,-72.51]]. Traders from [[Táchira|region:VE@7.92,-72.0]] state crossed in "
     "thousands, and [[Venezuela|country:VE]] said flights to [[Colombia|country:CO]] would follow."),
    ("asia", "[[Beijing|CN@39.91,116.4]] sent warships through the [[Taiwan Strait|phys:TW@24.5,119.5]] after "
     "[[Taipei|TW@25.05,121.53]] hosted US lawmakers. [[Tokyo|JP@35.69,139.69]] and [[Manila|PH@14.6,120.98]] "
     "voiced concern over drills in the [[South China Sea|phys:CN@12.0,113.0]]."),
    ("europe", "[[Brussels|BE@50.85,4.35]] approved aid after [[Berlin|DE@52.52,13.4]] and [[Paris|FR@48.85,2.35]] "
     "dropped objections, but [[Budapest|HU@47.5,19.04]] held out. [[Warsaw|PL@52.23,21.01]] said "
     "[[Hungary|country:HU]] was isolated."),
    ("europe", "Temperatures fell to minus 50 in [[Yakutsk|RU@62.03,129.73]], and schools closed in "
     "[[Novosibirsk|RU@55.04,82.93]]. [[Russia|country:RU]] warned of gas shortages near "
     "[[Lake Baikal|phys:RU@53.5,108.0]] and in [[Irkutsk|RU@52.3,104.3]]."),
    ("asia", "[[Islamabad|PK@33.72,73.04]] and [[New Delhi|IN@28.64,77.22]] traded accusations after shelling near "
     "[[Poonch|IN@33.77,74.09]]. Schools in [[Srinagar|IN@34.09,74.8]] closed, and [[Pakistan|country:PK]] "
     "said civilians were hurt in [[Kotli|PK@33.52,73.9]]."),
    ("mideast", "Tankers slowed in the [[Strait of Hormuz|phys:IR@26.57,56.25]] after [[Tehran|IR@35.69,51.42]] seized a "
     "ship off [[Bandar Abbas|IR@27.19,56.27]]. [[Oman|country:OM]] offered to mediate from [[Muscat|OM@23.58,58.41]], "
     "and [[Riyadh|SA@24.69,46.72]] called for calm."),
    ("africa", "Juntas in [[Bamako|ML@12.65,-8.0]], [[Niamey|NE@13.51,2.11]] and [[Ouagadougou|BF@12.37,-1.53]] "
     "agreed a joint force. Attacks near [[Mopti|ML@14.49,-4.2]] and in northern [[Burkina Faso|country:BF]] "
     "continued, and [[Niger|country:NE]] closed a border post."),
    ("latam", "Fires in [[Amazonas|region:BR@-4.0,-63.0]] state sent smoke over [[Manaus|BR@-3.1,-60.03]]. "
     "[[Brasília|name=Brasilia;BR@-15.78,-47.93]] deployed troops, and [[Argentina|country:AR]] offered planes from "
     "[[Buenos Aires|AR@-34.61,-58.38]], while [[Brazil|country:BR]] thanked its neighbours."),
    ("mideast", "[[Ankara|TR@39.92,32.85]] reinforced posts in [[Hatay|region:TR@36.4,36.2]] province after shelling "
     "near [[Idlib|SY@35.93,36.63]]. Refugees crossed to [[Antakya|TR@36.21,36.16]], and [[Damascus|SY@33.51,36.29]] "
     "blamed rebels in [[Aleppo|SY@36.2,37.16]]."),
    ("asia", "A quake struck off [[Sulawesi|phys:ID@-2.0,121.0]], shaking [[Palu|ID@-0.89,119.87]]. [[Jakarta|ID@-6.21,106.85]] "
     "sent aid, and tourists on [[Bali|phys:ID@-8.5,115.0]] and [[Lombok|phys:ID@-8.65,116.3]] felt tremors."),
    ("africa", "Food aid reached [[Mekele|name=Mekele;ET@13.5,39.47]] in [[Tigray|region:ET@14.0,39.0]] after months. "
     "[[Addis Ababa|ET@9.02,38.75]] said roads from [[Gondar|ET@12.6,37.47]] in the [[Amhara|region:ET@11.5,38.5]] "
     "region were open, and [[Eritrea|country:ER]] denied moving troops."),
    ("latam", "Gunmen killed five people in [[Culiacán|name=Culiacan;MX@24.8,-107.39]], the capital of "
     "[[Sinaloa|region:MX@25.0,-107.5]]. [[Mexico City|MX@19.43,-99.13]] sent soldiers, and officials in "
     "[[Texas|state:TX]] tightened checks at [[El Paso|US/TX]]."),
    ("europe", "[[Tbilisi|GE@41.69,44.83]] and [[Yerevan|AM@40.18,44.51]] signed a rail deal that bypasses "
     "[[Azerbaijan|country:AZ]]. Freight will run through [[Gyumri|AM@40.79,43.85]] to [[Batumi|GE@41.64,41.64]] "
     "on the [[Black Sea|phys:GE@42.5,35.0]], [[Georgia|country:GE]]'s transport ministry said."),
]
