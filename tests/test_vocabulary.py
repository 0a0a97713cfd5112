"""The clinical grammar keeps a vendor screen's technical text in seven languages and explains no one's
name, place, date, time, age or ID."""

import tomllib
from pathlib import Path

import pytest

from pixelscrub.pixels.text.vocabulary import LANGUAGES, grammar_sections, load_vocabulary, word_key

GRAMMAR = Path(__file__).resolve().parent.parent / "models" / "grammar"

# Text read on real screens: ../shared/samples' "keep" strings, split into OCR words.
SAMPLE_SCREENS = """
Adult Echo S5-1 49Hz 16cm Asc Ao Diam 3.3 cm Index 2.0 2D 64% C 50 P Low HPen 1.3 2.6 TIS0.4 MI 1.4 M3 X2 65bpm
PHILIPS OB MI 1.1 TIB 0.2 Gen C5-1 Cist Mag 1.06 cm 28Hz 11cm HGen Gn 60 C 61 3/3/4 1.8 3.6
630P630 78F78 44CG43 IM#2 3cm3cm M12L MSCSKEL CINE 0118 22G22 78DR78 PWR LYMPH NODE TIS<0.4 MI=0.8 AO=100% GE
127/128 20Hz 110/111 9123 5.0 R15 G66 C6 A2 G63 3:PELVIS DVA: 94%
PLA Gen THI S Crd P21 MI 0.9 TIS 0.7 19 Sector MB Off On Page 1/3
10 8 6 4 2 0 FR: 31,3 FPS TI(S): - MI: - f: 18,0 MHz Epicardiac 15MHz Femoral HR 0BPM ECG 5 s V
Fr: 1/19 Se#: 1 LEADTOOLS W: 254 L: 127 Fit, Mag: 1.79X Unit: 0.1 cm Chest Se: 3/2 Im: 1/1 Lat: F W: 3498 L: 2000
V .42 -.42 [cm] 50 mm/s 96 HR 3 L 8 CAU 26 RAO IMAGE 55 41
PHILIPS IM 0.8 ITm 0.2 S5-1 40Hz 15.0cm 2D HPén-HGén Gn 50 C 50 3/2/0 75 mm/s
Adv Breast L12-5 36Hz RS 2D 60% Dyn R 58 P Med Res TAC1 TIS0.0 MI 0.6 M3 x3 4.0cm Semi-Upright Portable L
SIEMENS 6C1 HD *Renal General TIS: 0.5 TIB: 0.5 MI: 1.4 19fps 2D--100% THI H4.00 MHz 20dB/DR60 ASC 3 DTCE M
MapE/ST2 Sag Liver L-M 16cm
""".split()

MEASUREMENTS = [
    "Dist", "3.42", "Vol", "12.1", "ml", "HR", "72", "bpm", "1.06cm", "12.3mm", "45%", "Vmax", "1.2", "m/s",
    "PG", "5.8", "mmHg", "60°", "BPD", "HC", "AC", "FL", "CRL", "EFW", "GA", "AFI", "NT", "LVIDd", "EF", "E/A",
    "e'", "E/e'", "TAPSE", "VTI", "RI", "PI", "PSV", "EDV", "S/D", "1", "2", "+", "x", "D1", "D2", "MVA", "PHT",
    "LVOT", "IVSd", "LVPWd", "MAPSE", "GLS", "IVRT", "DT", "Qp/Qs", "AVA", "PISA", "EROA", "ICA/CCA", "ABI",
    "12w3d", "12+3", "1.2s", "-10dB", "2x", "1.5x", "1st", "2nd", "37.5°C", "18G", "5mGy·cm²", "12µGy·m²",
    "320mA", "120kV", "2.5mAs", "CTDIvol", "DLP", "mGy", "Gy·cm²", "DAP", "EI", "DI", "SID", "LAO", "CRA",
    "W:", "L:", "WL/WW", "FOV", "Matrix", "kVp", "TR", "TE", "NEX", "0-30", "1-7", "2.0-5.0", "1:1",
    "Fr:", "1/19", "Im:", "1/1", "Se:", "3/2", "12/30", "Page", "of", "EDD", "LMP", "TI-RADS", "BI-RADS",
    "Hadlock", "Länge", "Längs", "5min", "min", "max", "avg",
]

PROBES = ["C5-1", "L12-5", "6C1", "S5-1", "EC9-4", "9L-D", "ML6-15", "C1-6-D", "X5-1", "4V1c", "i22LH8",
          "C1-5-D", "ML6-15-D", "4C-RS", "IC5-9-D", "eL18-4", "mC7-2", "X7-2t", "C10-3v", "L15-7io", "VL13-5",
          "CA1-7A", "LA3-16A", "SC5-1", "L14-6NE", "PVT-375BT", "PLT-1005BT", "i18LX5", "LA523", "HFL38x",
          "rC60xi", "L38xi", "P21x", "9EVF4", "18L6", "M12L", "739L", "UST-9123", "3D9-3v"]

WORDS_BY_LANGUAGE = {
    "en": ["Depth", "Gain", "Frequency", "Distance", "Volume", "Area", "Circumference", "Frozen", "Freeze",
           "Live", "Cine", "Review", "Store", "Saved", "Print", "Zoom", "Report", "Measure", "Calc", "Annot",
           "Bodymark", "abdomen", "Abdominal", "LIVER", "Kidney", "Thyroid", "Breast", "Heart", "Pelvis",
           "Carotid", "Vascular", "Obstetric", "Cardiac", "Chest", "Thorax", "Spine", "Knee", "Shoulder",
           "CYST", "Mass", "Lesion", "Node", "Fluid", "Stones", "GB", "CBD", "IVC", "SAG", "TRV", "TRANS",
           "Mid", "Upper", "Lower", "Pole", "Prox", "Dist", "Prone", "Supine", "Standing", "Erect", "Upright",
           "PORTABLE", "Semi-upright", "Left", "Right", "LT", "RT", "AP", "PA", "LAT", "OBL", "SUP", "INF",
           "ANT", "POST", "MED", "H/F", "A/P", "S/I", "Harmonic", "Persistence", "Compounding", "Presets",
           "Probe", "Power", "Head", "Hand", "Foot", "LONG", "Small", "Parts", "General"],
    "fr": ["Profondeur", "Gain", "Fréquence", "Frequence", "Distance", "Surface", "Volume", "Gel", "Gelé",
           "Figée", "Revue", "Stocker", "Imprimer", "Mesure", "Calcul", "Pictogramme", "Foie", "Rein", "Reins",
           "Thyroïde", "Thyroide", "Sein", "Coeur", "Cœur", "Vessie", "Utérus", "Ovaire", "Genou", "Épaule",
           "Epaule", "Kyste", "Nodule", "Épanchement", "Lithiase", "Droite", "Gauche", "D/G", "Coupe",
           "Sagittale", "Transverse", "Pôle", "Inférieur", "Supérieur", "Décubitus", "Debout", "Assis",
           "Longueur", "Largeur", "Hauteur", "Diamètre", "Vitesse", "Indice", "Puissance", "Sonde",
           "Échographie", "Abdominale", "Pelvienne", "Cardiaque", "Carotide", "Vésicule", "Cholédoque",
           "main", "pied", "tête", "petit", "grand", "IM", "ITm", "Prof", "Dte", "Gche"],
    "de": ["Tiefe", "Verstärkung", "Verstarkung", "Frequenz", "Abstand", "Fläche", "Flache", "Volumen",
           "Eingefroren", "Speichern", "Gespeichert", "Drucken", "Messung", "Berechnung", "Bauch", "Leber",
           "Niere", "Nieren", "Schilddrüse", "Schilddruse", "Mamma", "Herzen", "Becken", "Knie", "Schulter",
           "Zyste", "Raumforderung", "Lymphknoten", "Erguss", "Konkrement", "re", "li", "Rechts", "Links",
           "Längsschnitt", "Querschnitt", "Oberpol", "Unterpol", "Rückenlage", "Bauchlage", "Stehend",
           "Breite", "Höhe", "Durchmesser", "Umfang", "Winkel", "Geschwindigkeit", "Leistung", "Schallkopf",
           "Gallenblase", "Harnblase", "Halsweichteile", "Wirbelsäule", "herz", "fuß", "klein", "groß",
           "Seite", "von"],
    "es": ["Profundidad", "Ganancia", "Frecuencia", "Distancia", "Área", "Area", "Volumen", "Congelado",
           "Almacenar", "Guardado", "Imprimir", "Medida", "Cálculo", "Abdomen", "Hígado", "Higado", "Riñón",
           "Rinon", "Tiroides", "Mama", "Corazón", "Vejiga", "Útero", "Ovario", "Rodilla", "Hombro", "Quiste",
           "Nódulo", "Derrame", "Litiasis", "DER", "IZQ", "Derecho", "Izquierda", "Corte", "Sagital",
           "Transversal", "Superior", "Inferior", "Decúbito", "Supino", "Longitud", "Anchura", "Altura",
           "Diámetro", "Velocidad", "Índice", "Potencia", "Sonda", "Ecografía", "Vesícula", "Colédoco",
           "mano", "pie", "cabeza", "polo", "de"],
    "it": ["Profondità", "Profondita", "Guadagno", "Frequenza", "Distanza", "Area", "Volume", "Congelato",
           "Memorizza", "Salvato", "Stampa", "Misura", "Calcolo", "Addome", "Fegato", "rene", "Reni",
           "Tiroide", "Mammella", "Cuore", "Vescica", "Utero", "Ovaio", "Ginocchio", "Spalla", "Cisti",
           "Nodulo", "Versamento", "Calcolo", "DX", "SX", "Destro", "Sinistra", "Scansione", "Sagittale",
           "Trasversale", "Superiore", "Inferiore", "Supino", "Lunghezza", "Larghezza", "Altezza", "Diametro",
           "Velocità", "Indice", "Potenza", "Sonda", "Ecografia", "Colecisti", "Coledoco", "testa", "mano",
           "piede", "collo", "polo", "massa"],
    "nl": ["Diepte", "Versterking", "Frequentie", "Afstand", "Oppervlak", "Volume", "Bevroren", "Opslaan",
           "Opgeslagen", "Afdrukken", "Meting", "Berekening", "Buik", "Nier", "Nieren", "Schildklier", "Mamma",
           "Blaas", "Baarmoeder", "Eierstok", "Knie", "Schouder", "Cyste", "Laesie", "Lymfeklier", "Vocht",
           "Galsteen", "re", "li", "Rechts", "Links", "Lengte", "Breedte", "Hoogte", "Diameter", "Snelheid",
           "Index", "Vermogen", "Transducer", "Echografie", "Galblaas", "hart", "lever", "borst", "hoek",
           "voet", "hoofd", "van", "der"],
    "pt": ["Profundidade", "Ganho", "Frequência", "Frequencia", "Distância", "Área", "Volume", "Congelado",
           "Armazenar", "Gravado", "Imprimir", "Medida", "Cálculo", "Abdome", "Abdómen", "Fígado", "Figado",
           "rim", "Rins", "Tireoide", "Tiroide", "Mama", "Coração", "Bexiga", "Útero", "Ovário", "Joelho",
           "Ombro", "Cisto", "Quisto", "Nódulo", "Derrame", "Litíase", "DTO", "ESQ", "Direito", "Esquerda",
           "Corte", "Sagital", "Transversal", "Superior", "Inferior", "Decúbito", "Comprimento", "Largura",
           "Altura", "Diâmetro", "Velocidade", "Índice", "Potência", "Sonda", "Ecografia", "Vesícula",
           "mão", "pé", "cabeça", "do", "da"],
}

VENDORS = ["GE", "Philips", "SIEMENS", "Healthineers", "Canon", "Toshiba", "Hitachi", "Aloka", "Fujifilm",
           "Samsung", "Medison", "Mindray", "Esaote", "SonoSite", "BK", "Konica", "Agfa", "Carestream", "Kodak",
           "Hologic", "Fuji", "Shimadzu", "Ziehm", "LOGIQ", "Vivid", "Voluson", "EPIQ", "Affiniti", "iU22",
           "CX50", "ACUSON", "Sequoia", "Aplio", "LEADTOOLS", "Xario", "ARIETTA", "MyLab", "Resona"]

PHI_SHAPES = [
    "12.03.1961", "03/12/61", "1961-03-12", "12-MAR-1961", "12MAR1961", "12-Mar-61", "12/03/1961", "3/12/1961",
    "12.3.61", "19610312", "20240305", "2024/03/05", "05.03.2024", "5-3-2024", "07-FEV-2006", "07-Fév-2006",
    "12-MRZ-1961", "12.Mai.1961", "3-Ene-2024", "15-Ago-2023", "1-Gen-2020", "12-Okt-2021", "5-Dez-2019",
    "31-Dic-2018", "12mei2020", "2-Out-2022", "03/1961", "1961/03", "O3/O5/2O24", "24-MAY-02", "5/25/2011",
    "03/16/1999", "05/12/42", "MAR12", "12MAR",
    "14:23:53", "14:23", "2:56:22", "05:24:57PM", "08:48:26", "14h23", "9h05", "+2:09:04",
    "36Y", "036Y", "45YR", "36yo", "36y/o", "8J", "36ans", "80anni", "45jr", "30anos", "004M", "012W", "005D",
    "SOY", "40x",
    "00079241539", "0545234234325V", "125-98-445", "123-45-6789", "ACC12345", "A99812", "MRN12345678",
    "1234567", "120907058", "9876543", "11-05-25-142825", "12345678", "+33-1-45", "0044-20", "AB123456",
    "44AB12",
]

# Common first names and surnames of many countries, written for this test.
NAMES = """
Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee
Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson
Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers
Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes
Price Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher Henderson Stone Hunt Black
Palmer Wells Webb Simpson Stevens Tucker Porter Hunter Hicks Crawford Boyd Mason Warren Dixon Burns Gordon Shaw
Holmes Rice Hart Page Power Small Low Head Hand Foot Wall Short Field Read Fowler Merchant Doe Citizen
James John Robert Michael William David Richard Joseph Charles Mary Patricia Jennifer Linda Elizabeth Barbara
Susan Jessica Sarah Karen Nancy Lisa Betty Margaret Sandra Ashley Emily Donna Michelle Dorothy Carol Amanda
Melissa Deborah Stephanie Rebecca Laura Sharon Kathleen Amy Shirley Angela Helen Anna Brenda Nicole Emma Olivia
Ava Sophia Mia Isabella Charlotte Amelia Harper Evelyn Abigail Ella Grace Chloe Lily Zoe Hannah Noah Liam Oliver
Elijah Lucas Logan Ethan Jacob Jack Aiden Max Leo Ben Sam Tom Dan Bill Bob Ray Guy Dean Wade Frank Mark Will Joy
Hope Faith Rose Iris Ivy June May Dawn Summer Amber Ruby Pearl Violet Daisy Holly Heather Chase Miles Carina
Dubois Bernard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia Bertrand Roux Vincent Fournier
Morel Girard Andre Lefevre Mercier Dupont Lambert Bonnet Francois Legrand Garnier Faure Rousseau Blanc Guerin
Muller Henry Roussel Nicolas Perrin Morin Mathieu Clement Gauthier Dumont Fontaine Chevalier Robin Masson Gerard
Boyer Denis Lemaire Duval Joly Roger Roche Roy Noel Meyer Meunier Jean Marchand Dufour Blanchard Marie Barbier
Brun Dumas Brunet Leroux Colin Pierre Renard Arnaud Caron Aubert Leclerc Vidal Picard Lacroix Latour Grand Gros
Masse Clavier Philippe Alain Christophe Patrick Julien Nathalie Isabelle Sylvie Catherine Sophie Camille Manon
Jade Louise Gabriel Arthur Hugo Jules Louis Adam Lucie Margaux Achille
Schmidt Schneider Fischer Weber Wagner Becker Schulz Hoffmann Koch Bauer Richter Klein Wolf Neumann Schwarz
Zimmermann Braun Hartmann Lange Schmitt Werner Krause Lehmann Schmid Maier Herrmann Walter Mayer Huber Kaiser
Fuchs Peters Lang Scholz Jung Hahn Vogel Keller Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster
Ludwig Winter Kraus Vogt Stein Otto Sommer Seidel Brandt Haas Graf Kuhn Pohl Engel Horn Busch Sauer Arnold Merz
Herz Kopf Kammer Fein Grob Kupfer Pfeil Drucker Blau Maus Strom Teich Bruch Scharf Schwenk Hans Peter Klaus
Wolfgang Andreas Stefan Uwe Dieter Heinz Sabine Petra Monika Ursula Andrea Claudia Birgit Lukas Leon Finn Jonas
Paul Felix Lena Lea Emilia
Rodriguez Gonzalez Fernandez Lopez Martinez Sanchez Perez Gomez Jimenez Ruiz Hernandez Diaz Moreno Munoz Alvarez
Romero Alonso Gutierrez Navarro Torres Dominguez Vazquez Ramos Gil Ramirez Serrano Blanco Molina Morales Suarez
Ortega Delgado Castro Ortiz Rubio Marin Sanz Nunez Iglesias Medina Garrido Cortes Castillo Santos Lozano Guerrero
Cano Prieto Mendez Cruz Calvo Gallego Leon Marquez Herrera Pena Flores Cabrera Campos Vega Fuentes Carrasco Diez
Caballero Reyes Nieto Aguilar Pascual Santana Herrero Lorenzo Montero Hidalgo Ibanez Ferrer Duran Santiago
Benitez Mora Vargas Arias Carmona Crespo Roman Pastor Soto Saez Velasco Moya Soler Parra Esteban Bravo Gallardo
Rojas Colon Mesa Camara Campo Polo Cabeza Galan Rojo Grande Antonio Jose Manuel Francisco Juan Javier Carlos
Jesus Alejandro Miguel Rafael Pedro Pablo Sergio Jorge Luis Alberto Maria Carmen Ana Isabel Dolores Pilar Teresa
Rosa Cristina Marta Lucia Paula Elena Sara Luz Sol Mercedes Rocio Guadalupe Aquiles Cara
Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Mancini Costa Giordano
Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile
Martinelli Vitale Lombardo Serra Coppola Marchetti Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso
Valentini Messina Sala Gatti Pellegrini Palumbo Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza
Testa Grassi Pellegrino Carbone Giuliani Benedetti Barone Caputo Montanari Guerra Palmieri Bernardi Fiore
Ferretti Bellini Basile Riva Donati Piras Battaglia Sartori Neri Milani Pagano Ruggiero Sorrentino Orlando Negri
Carta Scala Porta Guida Basso Piano Massa Piccolo Gamba Sacco Gemelli Giuseppe Giovanni Mario Luigi Angelo
Vincenzo Pietro Salvatore Carlo Franco Domenico Michele Giorgio Aldo Luciano Giuseppina Giovanna Lucia Carmela
Caterina Francesca Giulia Chiara Alessandra Federica Martina Aurora Ginevra Beatrice Alessandro Lorenzo Matteo
Leonardo Tommaso Riccardo Edoardo Primo Modesto Salvo Aria
Jansen Vries Berg Dijk Bakker Janssen Visser Smit Meijer Boer Mulder Groot Bos Vos Hendriks Leeuwen Dekker
Brouwer Wit Dijkstra Smits Graaf Meer Linden Kok Jacobs Haan Vermeulen Heuvel Veen Broek Bruijn Heijden Schouten
Beek Willems Vliet Hoekstra Maas Verhoeven Koster Dam Prins Blom Huisman Peeters Maes Mertens Claes Goossens
Wouters Smet Borst Hals Voet Pols Steen Spier Rust Hoek Bot Rand Groen Zwart Teller Kleine Kant Jan Piet Kees
Henk Wim Johan Gerrit Cor Bas Sander Bram Daan Sem Levi Milan Jesse Thijs Ruben Anne Johanna Cornelia Lies Els
Ingrid Marieke Sanne Fleur Julia Tess Noor Lotte Femke
Silva Ferreira Pereira Oliveira Rodrigues Martins Sousa Fernandes Goncalves Gomes Lopes Marques Alves Almeida
Ribeiro Pinto Carvalho Teixeira Moreira Correia Mendes Nunes Soares Vieira Monteiro Cardoso Rocha Neves Coelho
Cunha Pires Reis Simoes Antunes Matos Fonseca Machado Araujo Barbosa Tavares Lourenco Figueiredo Azevedo Freitas
Lima Barros Moura Lobo Gama Bras Branco Joao Antonio Rui Tiago Joana Beatriz Ines Mariana Catarina Leonor
Matilde Francisca Fernanda Luana Gabriela Rafaela Thiago Gustavo Felipe Rodrigo Costas
Hansen Johansen Olsen Larsen Andersen Pedersen Nielsen Kristiansen Jensen Karlsen Johansson Andersson Karlsson
Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Lindberg Lindstrom Strom Lund Holm Dahl Back Lars
Per Anders Nils Erik Sven Olof Bjorn Ole Jens Mads Soren Kari Astrid Sigrid Line Pelle Freja Maja Elsa
Nowak Kowalski Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski Szymanski Wozniak Dabrowski Mazur
Ivanov Petrov Smirnov Kuznetsov Popov Novak Svoboda Dvorak Horvat Kovac Babic Jovanovic Petrovic Nikolic Piotr
Krzysztof Tomasz Katarzyna Agnieszka Ivan Olga Natasha Dmitri Sergei Vladimir Lev Igor Boris
Papadopoulos Georgiou Nikolaou Dimitriou Ioannou Nikos Yannis Eleni Dimitra
Yilmaz Kaya Demir Sahin Celik Yildiz Ozturk Aydin Ozdemir Arslan Dogan Kilic Aslan Mehmet Mustafa Ahmet Ali
Ayse Fatma Emine Zeynep
Mohammed Muhammad Ahmed Hassan Hussein Ibrahim Abdullah Khalil Mahmoud Omar Youssef Said Saleh Haddad Khoury
Nasser Fatima Aisha Mariam Layla Nour Amina Zainab Hosseini Mohammadi Rezaei Ahmadi Karimi Moradi Hashemi
Rahimi Reza Amir Darius Farah Leila Shirin
Sharma Patel Singh Kumar Gupta Shah Das Reddy Rao Iyer Nair Menon Mehta Joshi Chopra Kapoor Malhotra Bose
Banerjee Chatterjee Mukherjee Ghosh Pillai Verma Mishra Yadav Khan Deep Priya Anjali Sunita Rahul Amit Raj Ravi
Vijay Arjun Deepak Sanjay Neha Pooja Lakshmi
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng Liang Xie Song Tang
Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Cui
Zhong Tan Fan Jin Shi Liao Jia Xia Fu Fang Bai Zou Meng Xiong Qin Qiu Hou Yin Xue Yan Duan Lei Tao Mao Hao Gu
Gong Shao Wan Qian Dai Mo Kong Xiang Lo Chan Wong Ho Leung Lau Cheung Ng Lim Teo Ong Goh Chua Koh Chin Chong
Ang Gan Yeo Foo Toh Kwan Yip Tse Fung Lam Mak Tsang Au Man Ming Hong Jun Ling Mei Xin Hui So Win
Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki Yamaguchi
Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto Ishikawa Ogawa Fujita Okada Goto
Hasegawa Fukuda Ota Miura Endo Hiroshi Takashi Kenji Yuki Haruto Yui Aoi Sakura Sora Kaito Hina Emi Ken Ai Mai
Kim Park Choi Kang Cho Yoon Jang Oh Seo Shin Kwon Hwang Ahn Yoo Jeon Ko Moon Son Bae Baek Heo Nam Sim Noh Ha
Kwak Sung Cha Joo Woo Min Ryu Na Ji Im Rim
Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ngo Duong Ly Minh Anh Linh Trang Thanh Hung Dung Tuan
Bautista Ocampo Mendoza Tomas Villanueva Rivera Aquino Salazar Mercado
Okafor Okonkwo Adeyemi Oluwaseun Chukwu Eze Nwosu Abubakar Mensah Owusu Boateng Asante Kamau Otieno Mwangi
Wanjiru Njoroge Odhiambo Ngugi Tesfaye Bekele Haile Girma Mulugeta Diallo Traore Coulibaly Keita Ndiaye Diop
Sow Ba Fall Cisse Rein Zulu Dlamini Nkosi Khumalo Ndlovu Kofi Kwame Ama Abena Chidi Ngozi Amara Ayo Femi Tunde
Cohen Levy Mizrahi Peretz Biton Dahan Avraham Friedman Katz Azoulay Yosef Noa Tamar Yael Avi Moshe Itai Ori
Kelly Walsh Byrne Ryan Doyle Gallagher Lynch Murray Quinn Kennedy Daly Brennan Duffy Fitzgerald MacDonald
Thomson Reid Fraser Grant Cameron Hamilton Graham Sinclair Sean Siobhan Niamh Aoife Ciara Eoin Declan
Nagy Szabo Toth Varga Kiss Molnar Virtanen Korhonen Nieminen Makinen Popescu Ionescu Georgescu Stoica Dimitrov
Petrova Kowalska Novakova Aziz Rahman Hossain Chowdhury Begum Akter Siddiqui Qureshi Malik Javed Tariq Takeda
Matsuda Nakajima Ueda Trinh Truong Quispe Mamani Huaman Condori Achebe Okoro Mbeki Halvorsen Lindqvist
Carmine Blanche Camilla Karina Barella Raggio Cordes Serrato Flach Stapel Starr Cone Force Stack Link Marks
Blood Bianca Blanca Luce Candida Mala Asa Ansa Carena Fuente Sang Gut Gim Peg Lis Cade Anello Branca Fonte
Kraft Lampe Licht Zange Giotto Sante Erbe Forrest Barrett Schatzki Mallory Savary Zargar Kudo Sano Siewert
Momo Dan Ro Fair Good Poor Ring Hot Cold
""".split()

PLACES = """
Paris London Berlin Madrid Roma Rome Milano Amsterdam Rotterdam Utrecht Lisboa Lisbon Porto Lyon Marseille
Toulouse Bordeaux Lille Nantes Strasbourg Nice Montpellier Rennes Grenoble Munchen Munich Hamburg Koln Cologne
Frankfurt Stuttgart Dusseldorf Leipzig Dresden Hannover Nurnberg Wien Vienna Zurich Basel Bern Geneve Geneva
Lausanne Bruxelles Brussel Antwerpen Gent Liege Luxembourg Barcelona Valencia Sevilla Bilbao Zaragoza Malaga
Granada Napoli Torino Firenze Bologna Venezia Genova Palermo Bari Padova Verona Coimbra Braga Faro Salvador
Recife Curitiba Montreal Quebec Toronto Vancouver Ottawa Boston Chicago Houston Dallas Phoenix Denver Seattle
Atlanta Miami Cleveland Baltimore Detroit Philadelphia Pittsburgh Rochester Nashville Memphis Portland Austin
Sydney Melbourne Brisbane Perth Auckland Dublin Cork Edinburgh Glasgow Manchester Birmingham Leeds Liverpool
Bristol Oxford Cambridge Cardiff Belfast Tokyo Osaka Kyoto Seoul Busan Beijing Shanghai Guangzhou Shenzhen
Taipei Singapore Bangkok Manila Jakarta Mumbai Delhi Bangalore Chennai Karachi Lahore Dubai Riyadh Cairo Tunis
Algiers Casablanca Lagos Accra Nairobi Johannesburg Durban Mexico Guadalajara Monterrey Bogota Medellin Lima
Santiago Quito Caracas Havana Montevideo Istanbul Ankara Athens Warsaw Krakow Prague Budapest Bucharest Sofia
Belgrade Zagreb Oslo Stockholm Copenhagen Helsinki Moscow Kyiv Bursa Split Mobile Orange Lens Sens
Prague Kyoto Vienna Mayo Pristina Plano
Hospital Hôpital Hopital Hospitalier Clinic Clinique Klinik Klinikum Krankenhaus Spital Ospedale Policlinico
Ziekenhuis Kliniek Clínica Infirmary Memorial Medical Médical Universitätsklinikum Universitario Universitaire
University Université Universität Universidad Università Universiteit Universidade CHU CHRU AP-HP UMC LUMC
Charité Mercy Baptist Methodist Presbyterian Lutheran Adventist Kaiser Mayo Hopkins Sinai Cedars Childrens
Saint Sainte San Santa Sankt São Santo Heilig Salpêtrière Pitié Necker Gemelli Niguarda Careggi Hebron
Marañón Erasmus Radboud Hospices Civils Foundation Trust NHS Healthcare Health Regional Community County
Provincial Municipal Center Centre Centro Zentrum Centrum General Generale Geral Général
""".split()

# Names and place words the grammar keeps on purpose, each documented in models/grammar/*.toml: screen
# text that would be lost without them, and generic place words that identify nobody alone.
KNOWN_EXCEPTIONS = {
    "Power", "Low", "Head", "Hand", "Foot", "Long", "Small", "Page", "Im", "Mobile", "Ava", "Rao", "Rein", "Au",
    "General", "Generale", "Geral", "Général", "Center", "Centre", "Centro", "Zentrum", "Centrum", "Na",
}


# The categories the grammar was extended with, in each language whose screens are localised (sources in
# models/grammar/*.toml): endoscopy procedures, processors, landmarks and findings; mammography and
# radiography exposure and views; CT, MR and viewer overlays; ultrasound abbreviations.
ENDOSCOPY = {
    "any": ["ERCP", "EUS", "EBUS", "EGD", "OGD", "ÖGD", "FOGD", "EGDS", "CPRE", "EMR", "ESD", "NBI", "BLI",
            "BLI-bright", "LCI", "FICE", "i-scan", "WLI", "TXI", "RDI", "OE", "Eh:A5", "Enh:B8", "Str:A3", "Ct:N",
            "Cm:1", "Zm:x1.5", "CVP:12/0", "VCR", "Rec", "Cnt", "D.F", "Peak", "Avg", "Auto", "0-Is", "0-IIa",
            "IIa+IIc", "0-III", "Ia", "IIb", "BBPS", "UCEIS", "MES", "SES-CD", "JNET", "LST-NG", "HGD", "LGD",
            "C2M5", "T1a", "pT1b", "Tis", "N0", "LA-B", "GIF-H190", "GIF-HQ190", "GIF-1TH190", "CF-HQ190L",
            "PCF-H190DL", "TJF-Q190V", "BF-UC180F", "GF-UCT180", "CV-190", "CV-1500", "EG-760R", "EC-760ZP-V/L",
            "EI-740D/S", "EG29-i10", "EC38-i10F", "EG-2990i", "EC-3890Li", "EPK-i7010", "VP-7000", "VP-4450HD",
            "EVIS", "EXERA", "LUCERA", "ELUXEO", "OPTIVISTA", "PillCam", "Olympus", "Pentax", "Fujinon"],
    "en": ["Gastroscopy", "Colonoscopy", "Duodenoscopy", "Bronchoscopy", "Cystoscopy", "Laparoscopy",
           "Arthroscopy", "Sigmoidoscopy", "Enteroscopy", "Hysteroscopy", "Endoscope", "Cecum", "Caecum", "Ileum",
           "Terminal", "Sigmoid", "Rectum", "Antrum", "Pylorus", "Bulb", "Duodenum", "Esophagus", "Z-line",
           "Cardia", "Fundus", "Retroflexion", "Ascending", "Flexure", "Papilla", "Bronchus", "Trigone", "Polyp",
           "Polypectomy", "Ulcer", "Erosion", "Biopsy", "Biopsies", "Sessile", "Pedunculated", "Adenoma",
           "Varices", "Diverticulosis", "Hemorrhoids", "Esophagitis", "Gastritis", "Colitis", "Dysplasia",
           "Snare", "Clip", "Tattoo", "Structure", "Enhancement", "Narrow", "Band", "Freeze", "Release",
           "Capture", "Count", "Zoom", "Near", "Focus", "colon", "carina", "good", "candida", "iris"],
    "fr": ["Gastroscopie", "Fibroscopie", "Coloscopie", "Rectoscopie", "Duodénoscopie", "Bronchoscopie",
           "Cystoscopie", "Cœlioscopie", "Coelioscopie", "Laparoscopie", "Arthroscopie", "Écho-endoscopie",
           "Cæcum", "Caecum", "Iléon", "Côlon", "Sigmoïde", "Rectum", "Antre", "Pylore", "Bulbe", "Duodénum",
           "Œsophage", "Cardia", "Fundus", "Rétrovision", "Papille", "Polype", "Polypectomie", "Ulcère",
           "Érosion", "Biopsie", "Biopsies", "Sessile", "Pédiculé", "Adénome", "Varices", "Diverticulose",
           "Œsophagite", "Gastrite", "Dysplasie", "Anse", "Structure", "Lumière", "blanche", "Cône"],
    "de": ["Gastroskopie", "Koloskopie", "Ileokoloskopie", "Rektoskopie", "Duodenoskopie", "Bronchoskopie",
           "Zystoskopie", "Laparoskopie", "Arthroskopie", "Endosonographie", "Zäkum", "Zökum", "Ileum", "Kolon",
           "Sigma", "Rektum", "Antrum", "Pylorus", "Bulbus", "Duodenum", "Ösophagus", "Z-Linie", "Kardia",
           "Papille", "Polyp", "Polypektomie", "Ulkus", "Erosion", "Biopsie", "Gestielt", "Adenom", "Varizen",
           "Divertikulose", "Refluxösophagitis", "Dysplasie", "Schlinge", "Struktur", "flach", "Ödem", "Rö",
           "Röntgen"],
    "es": ["Gastroscopia", "Colonoscopia", "Rectoscopia", "Duodenoscopia", "Broncoscopia", "Cistoscopia",
           "Laparoscopia", "Artroscopia", "Ecoendoscopia", "Ciego", "Íleon", "Ileon", "colon", "Sigma", "Recto",
           "Antro", "Píloro", "Bulbo", "Duodeno", "Esófago", "Cardias", "Fondo", "Papila", "Pólipo",
           "Polipectomía", "Úlcera", "Erosión", "Biopsia", "Sésil", "Pediculado", "Adenoma", "Varices",
           "Esofagitis", "Displasia", "Estructura", "asa"],
    "it": ["Gastroscopia", "Colonscopia", "Colonoscopia", "Rettoscopia", "Duodenoscopia", "Broncoscopia",
           "Cistoscopia", "Laparoscopia", "Artroscopia", "EGDscopia", "Cieco", "Ileo", "Sigma", "Retto", "Antro",
           "Piloro", "Bulbo", "Duodeno", "Esofago", "Cardias", "Fondo", "Papilla", "Polipo", "Polipectomia",
           "Ulcera", "Erosione", "Biopsia", "Sessile", "Peduncolato", "Adenoma", "Varici", "Esofagite",
           "Displasia", "carena", "ansa", "luce"],
    "nl": ["Gastroscopie", "Coloscopie", "Colonoscopie", "Sigmoïdoscopie", "Duodenoscopie", "Bronchoscopie",
           "Cystoscopie", "Laparoscopie", "Artroscopie", "Coecum", "Caecum", "Ileum", "Sigmoïd", "Rectum",
           "Antrum", "Pylorus", "Bulbus", "Duodenum", "Slokdarm", "Cardia", "Z-lijn", "Poliep",
           "Poliepectomie", "Ulcus", "Erosie", "Biopsie", "Biopten", "Sessiel", "Gesteeld", "Adenoom",
           "Varices", "Oesofagitis", "Dysplasie", "Structuur", "star"],
    "pt": ["Gastroscopia", "Colonoscopia", "Retossigmoidoscopia", "Duodenoscopia", "Broncoscopia",
           "Cistoscopia", "Laparoscopia", "Artroscopia", "Ecoendoscopia", "Ceco", "Íleo", "Cólon", "Sigmoide",
           "Reto", "Antro", "Piloro", "Bulbo", "Duodeno", "Esófago", "Cárdia", "Fundo", "Papila", "Pólipo",
           "Polipectomia", "Úlcera", "Erosão", "Biópsia", "Séssil", "Pediculado", "Adenoma", "Varizes",
           "Esofagite", "Displasia", "Estrutura", "Má"],
}

MAMMOGRAPHY_AND_RADIOGRAPHY = {
    "any": ["Mo/Mo", "Mo/Rh", "Rh/Rh", "W/Rh", "W/Ag", "W/Al", "W/Cu", "MoRh", "W-Rh", "MO/RH", "Rh", "Ag",
            "CC", "MLO", "ML", "LM", "XCCL", "SPOT", "MAG", "TOMO", "RCC", "LMLO", "RXCCL", "RLM", "RCCID",
            "LMLO-ID", "CV", "C-View", "V-Preview", "DBT", "CESM", "AGD", "MGD", "DGM", "ESD", "ESAK", "kVp",
            "mAs", "ms", "mA", "EI", "DI", "S", "SID", "AEC", "Grid", "PA", "AP", "LAT", "OBL", "144", "N",
            "144N", "12", "daN", "12daN", "45", "mm", "1,23", "mGy", "66", "160", "L", "R"],
    "en": ["Compression", "force", "Thickness", "Target", "Anode", "Filter", "Paddle", "Glandular", "Dose",
           "Exposure", "Index", "Deviation", "Cleavage", "Implant", "Displaced", "Magnification", "Erect",
           "Supine", "Prone", "Standing", "Decubitus", "Lateral", "Oblique", "Cross-table", "Horizontal", "Beam",
           "Wheelchair", "Synthesized"],
    "fr": ["Compression", "force", "Épaisseur", "Glandulaire", "Anode", "Cible", "Filtre", "Face", "Profil",
           "Oblique", "Debout", "Couché", "Assis", "Décubitus", "Procubitus", "Agrandissement", "Localisée",
           "Cliché", "Horizontal", "Brancard"],
    "de": ["Kompression", "Kompressionskraft", "Objektdicke", "Parenchymdosis", "Anode", "Filter",
           "Belichtungsindex", "Abweichungsindex", "Stehend", "Liegend", "Sitzend", "Rückenlage", "Bauchlage",
           "Seitenlage", "Kraniokaudal", "Zielaufnahme", "Vergrößerung", "Strahlengang", "Horizontal"],
    "es": ["Compresión", "Fuerza", "Espesor", "Glandular", "Ánodo", "Anodo", "Filtro", "Bipedestación",
           "Decúbito", "Supino", "Prono", "Sentado", "Craneocaudal", "Localizada", "Magnificación", "camilla"],
    "it": ["Compressione", "Forza", "Spessore", "Ghiandolare", "Anodo", "Filtro", "Ortostasi", "Clinostatismo",
           "Decubito", "Supino", "Prono", "Seduto", "Craniocaudale", "Mirata", "Ingrandimento", "barella"],
    "nl": ["Compressie", "Compressiekracht", "Dikte", "Klierdosis", "Anode", "Filter", "Staand", "Liggend",
           "Zittend", "Rugligging", "Buikligging", "Craniocaudaal", "Vergroting", "Horizontaal"],
    "pt": ["Compressão", "Força", "Espessura", "Glandular", "Ânodo", "Anodo", "Filtro", "Ortostatismo",
           "Decúbito", "Supino", "Prono", "Sentado", "Craniocaudal", "Localizada", "Ampliação", "Perfil"],
}

CT_MR_AND_VIEWERS = {
    "any": ["CT", "MR", "MRI", "TDM", "IRM", "TC", "RM", "RMN", "TAC", "MRT", "RX", "XR", "TEP", "PET-CT",
            "Angio-TDM", "Se:", "Im:", "Sl:", "Img", "Ser", "Ima", "Ep.", "Sch.", "Esp.", "Spess.", "Thk", "ST",
            "SL", "Loc", "Pos", "Tilt", "FOV", "Matrix", "TR", "TE", "TI", "FA", "NEX", "NSA", "ETL", "BW", "W/L",
            "WL/WW", "C/W", "WW", "WL", "W:400", "L:40", "Zoom", "Mag", "Scale", "H", "F", "B30f", "H31s", "I26f",
            "Br40", "Br40d", "Bv36", "Hr60", "Qr40", "FC13", "STANDARD", "BONE", "BONEPLUS", "LUNG", "SOFT",
            "DETAIL", "FBP", "AiCE", "iDose4", "ASIR-V", "MIP", "MinIP", "MPR", "VR", "C+", "KM", "PDC", "MDC",
            "CAD", "CADx", "PACS", "DICOM", "Web", "Cine", "Loop", "syngo.via", "IDS7", "ImageChecker"],
    "en": ["Native", "Non-contrast", "Unenhanced", "Arterial", "Venous", "Portal", "Portovenous", "Delayed",
           "Nephrographic", "Excretory", "Equilibrium", "Kernel", "Reconstruction", "Viewer", "Workstation",
           "Report", "Key", "Keyimage", "Annotation", "Play", "Stop", "Thumbnail", "Crosshair", "Overlay",
           "Anonymized", "Window", "Level", "Width", "Center", "pan", "stack", "link", "Radiography",
           "Tomography", "Resonance"],
    "fr": ["Série", "Coupe", "Épaisseur", "Fenêtre/Niveau", "Fenêtre", "Niveau", "Fenêtrage", "Natif",
           "Artériel", "Portal", "Veineux", "Tardif", "Précoce", "Excrétoire", "Visionneuse", "Clé",
           "Tomodensitométrie", "Scanographie", "Radiographie", "Écho", "Échographie", "Imprimer"],
    "de": ["Serie", "Bild", "Schicht", "Schichtdicke", "Fenster", "Fensterung", "Nativ", "Arteriell",
           "Portalvenös", "Spätphase", "Frühphase", "Betrachter", "Befundung", "Schlüsselbild", "Röntgen", "Rö",
           "Computertomographie", "Kernspintomographie", "Sonographie", "Ultraschall", "stapel"],
    "es": ["Serie", "Imagen", "Corte", "Espesor", "Ventana/Nivel", "Ventana", "Nivel", "Arterial", "Portal",
           "Venosa", "Tardía", "Precoz", "Visor", "Clave", "Tomografía", "Computarizada", "Resonancia",
           "Magnética", "Radiografía", "Eco", "Ecografía"],
    "it": ["Serie", "Immagine", "Strato", "Spessore", "Finestra/Livello", "Finestra", "Livello", "Basale",
           "Arteriosa", "Portale", "Venosa", "Tardiva", "Precoce", "Visualizzatore", "Chiave", "Tomografia",
           "Computerizzata", "Risonanza", "Magnetica", "Radiografia", "Eco", "Ecografia"],
    "nl": ["Serie", "Beeld", "Plak", "Plakdikte", "Venster/Niveau", "Venster", "Niveau", "Arterieel", "Portaal",
           "Veneuze", "Laat", "Vroege", "Viewer", "Sleutelbeeld", "Computertomografie", "Röntgenfoto",
           "Radiografie", "Echo", "Echografie", "blanco"],
    "pt": ["Série", "Imagem", "Corte", "Espessura", "Janela/Nível", "Janela", "Nível", "Arterial", "Portal",
           "Venosa", "Tardia", "Precoce", "Visualizador", "Chave", "Tomografia", "Computadorizada",
           "Ressonância", "Magnética", "Radiografia", "Raio-X", "Eco", "Ecografia"],
}

ULTRASOUND_ABBREVIATIONS = {
    "any": ["Dist", "Vol", "Circ", "Gn", "DR", "Dyn", "Persist", "Res", "Gen", "Pen", "Harm", "XRES", "SRI", "CRI",
            "SonoCT", "THI", "HI", "MI", "TIs", "TIb", "TIc", "IM", "IT", "ITm", "ITo", "ITs", "ITb", "ITo0.4",
            "2.5P", "3.5C", "7.5L", "6.5E", "Cine", "12/120", "Live"],
    "en": ["Area", "Circumference", "Distance", "Depth", "Gain", "Dynamic", "Range", "Persistence", "Frozen",
           "Freeze", "Print", "Print...", "Save", "Save...", "Store"],
    "fr": ["Surf", "Surf.", "Circonf", "Circonf.", "Dist.", "Prof", "Prof.", "Gain", "Dyn", "Persist", "Puiss",
           "Rés", "Gén", "Pén", "HRés", "Figé", "Gel", "Gelé", "Imprimer", "Imprimer...", "Enregistrer",
           "Enregistrer…"],
    "de": ["Fl", "Fl.", "Fläche", "Umfang", "Umf", "Umf.", "Abst", "Abst.", "Tiefe", "Verst", "Dynamik", "Allg",
           "Aufl", "Eingefroren", "Drucken", "Drucken...", "Speichern", "Speichern…"],
    "es": ["Sup", "Superf", "Área", "Circunf", "Circunf.", "Dist.", "Profund", "Prof.", "Ganancia", "din",
           "Resol", "Penetr", "Congelado", "Imprimir", "Imprimir...", "Guardar", "Guardar..."],
    "it": ["Sup", "Circonf", "Circ.", "Dist.", "Prof.", "Profondità", "Guad", "Guadagno", "Gamma", "din",
           "Congelato", "Stampa", "Stampa...", "Salva", "Salva..."],
    "nl": ["Opp", "Oppervl", "Oppervl.", "Omtrek", "Omtr", "Afst", "Afst.", "Diepte", "Versterking", "Versterk",
           "Alg", "Bevroren", "Afdrukken", "Opslaan", "Opslaan..."],
    "pt": ["Sup", "Superf", "Área", "Circunf", "Dist.", "Profund", "Prof.", "Ganho", "din", "Resol",
           "Congelado", "Imprimir", "Gravar", "Gravar...", "Guardar..."],
}

# The forms OCR returns on real screens: comma decimals, superscripts, units glued or apart, the ordinal º
# for degrees, an ellipsis after a button's name.
OCR_FORMS = [
    "12,0", "MHz", "12,0MHz", "Dist", "2,40", "cm", "2,40cm", "Surf", "18,0", "cm²", "18,0cm²", "cm2",
    "18,0cm2", "cm³", "mm²", "12mm²", "1,3", "TIs", "0,5", "TIs0,5", "MI", "MI1,3", "144", "N", "144N", "12daN",
    "W/Rh", "66", "kVp", "66kVp", "160", "mAs", "160mAs", "Zoom", "125%", "60°", "60º", "120º", "72bpm", "bpm",
    "/min", "30/min", "ml/s", "5ml/s", "cm/s", "45cm/s", "m/s", "1,2m/s", "mmHg", "12mmHg", "%",
]

# Shapes close to the new patterns that stay unexplained: IDs with more digits than a scope, "Mo" and
# the eponyms and places the endoscopy scores are named after, the French thermal index in capitals (Ito).
NOT_CLINICAL = ["EG-12345", "ED-1234", "GIF-1234567", "Mo", "MO", "Momo", "MOMO", "Iris", "IRIS", "Forrest",
                "Boston", "Paris", "Prague", "Barrett", "ITO", "Ito", "Dan", "DAN", "Pan", "PAN", "Mx", "Cone",
                "Starr", "Carmine", "12345N", "AP-HP"]


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


@pytest.mark.parametrize("word", sorted(set(SAMPLE_SCREENS)))
def test_every_word_of_the_sample_screens_is_explained(vocabulary, word):
    assert vocabulary.explains(word)


@pytest.mark.parametrize("word", MEASUREMENTS + PROBES + VENDORS)
def test_measurements_parameters_probes_and_makers_are_explained(vocabulary, word):
    assert vocabulary.explains(word)


@pytest.mark.parametrize("language,word", [(lang, w) for lang, words in WORDS_BY_LANGUAGE.items() for w in words])
def test_clinical_words_of_seven_languages_are_explained(vocabulary, language, word):
    assert vocabulary.explains(word, numbers=False), language


@pytest.mark.parametrize("category,language,word", [
    (category, language, word)
    for category, table in (("endoscopy", ENDOSCOPY), ("mammography and radiography", MAMMOGRAPHY_AND_RADIOGRAPHY),
                            ("CT, MR and viewers", CT_MR_AND_VIEWERS), ("ultrasound", ULTRASOUND_ABBREVIATIONS))
    for language, words in table.items() for word in words])
def test_the_extended_categories_are_explained_in_every_language(vocabulary, category, language, word):
    assert vocabulary.explains(word), (category, language)


def test_every_extended_category_covers_the_seven_languages():
    for table in (ENDOSCOPY, MAMMOGRAPHY_AND_RADIOGRAPHY, CT_MR_AND_VIEWERS, ULTRASOUND_ABBREVIATIONS):
        assert set(table) == set(LANGUAGES)


@pytest.mark.parametrize("word", OCR_FORMS)
def test_units_and_values_as_ocr_reads_them(vocabulary, word):
    assert vocabulary.explains(word)


@pytest.mark.parametrize("word", NOT_CLINICAL)
def test_names_and_ids_beside_the_new_patterns_are_not_explained(vocabulary, word):
    assert not vocabulary.explains(word)


@pytest.mark.parametrize("word", ["daN", "ITo"])
def test_units_and_abbreviations_that_are_names_in_another_case_count_only_as_spelled(vocabulary, word):
    assert vocabulary.explains(word) and not vocabulary.explains(word.title()) and not vocabulary.explains(word.upper())


@pytest.mark.parametrize("word", PHI_SHAPES)
def test_dates_times_ages_and_ids_are_not(vocabulary, word):
    assert not vocabulary.explains(word)


@pytest.mark.parametrize("name", sorted(set(NAMES + PLACES) - KNOWN_EXCEPTIONS))
def test_names_and_places_are_not_explained_in_capitals_or_title_case(vocabulary, name):
    assert not vocabulary.explains(name.upper()) and not vocabulary.explains(name.title())


def test_the_name_and_place_lists_are_long_enough_and_hold_every_known_exception():
    assert len(set(NAMES)) >= 300 and len(set(PLACES)) >= 100
    assert KNOWN_EXCEPTIONS <= set(NAMES + PLACES)


@pytest.mark.parametrize("name", sorted(KNOWN_EXCEPTIONS))
def test_known_exceptions_are_kept_and_listed_as_exceptions(vocabulary, name):
    listed = {word_key(w) for section in grammar_sections() for w in section.get("exceptions", [])}
    assert vocabulary.explains(name) and word_key(name) in listed


@pytest.mark.parametrize("word", ["Länge", "LÄNGE"])
def test_a_word_that_is_a_name_without_its_accents_needs_them(vocabulary, word):
    assert vocabulary.explains(word) and not vocabulary.explains("Lange")


@pytest.mark.parametrize("word", ["li", "hart", "testa", "le", "mA", "min"])
def test_a_word_that_is_a_name_in_capitals_counts_only_as_spelled(vocabulary, word):
    assert vocabulary.explains(word) and not vocabulary.explains(word.upper()[:1] + word[1:].lower())


def test_plain_numbers_count_only_when_asked(vocabulary):
    assert vocabulary.explains("1.06") and not vocabulary.explains("1.06", numbers=False)
    assert vocabulary.explains("9123") and not vocabulary.explains("9123", numbers=False)
    assert not vocabulary.explains("12345678")  # six digits or more are an ID, asked or not


def test_a_compound_needs_every_part_explained(vocabulary):
    assert vocabulary.explains("E/A") and vocabulary.explains("20dB/DR60")
    assert not vocabulary.explains("Liver-DOE") and not vocabulary.explains("Smith-CT")
    assert not vocabulary.explains("3:DOE") and not vocabulary.explains("12-34-DOE")


def test_other_scripts_are_never_explained(vocabulary):
    assert not any(vocabulary.explains(w) for w in ("王伟", "Иванов", "김민준", "محمد"))


def test_grammar_files_use_known_languages_and_keys():
    for path in GRAMMAR.glob("*.toml"):
        for language, section in tomllib.loads(path.read_text("utf-8")).items():
            assert language in LANGUAGES, (path.name, language)
            assert set(section) <= {"words", "lowercase", "accented", "exceptions"}, (path.name, language)


def test_lowercase_words_are_not_also_kept_in_every_case(vocabulary):
    assert not vocabulary.lowercase & vocabulary.words, sorted(vocabulary.lowercase & vocabulary.words)


def test_look_alikes_are_a_second_reading_not_part_of_the_keys(vocabulary):
    assert word_key("LI") != word_key("II") and word_key("Plano") != word_key("Piano")
    assert vocabulary.explains("Sa02") and vocabulary.explains("T1S") and vocabulary.explains("Ml")


def test_exceptions_are_listed_once_as_exceptions_not_as_plain_words():
    exceptions = {word_key(w) for section in grammar_sections() for w in section.get("exceptions", [])}
    words = {word_key(w) for section in grammar_sections() for w in section.get("words", [])}
    assert not exceptions & words, sorted(exceptions & words)


LABORATORY = {
    "en": ["LABORATORY", "Hemodynamic", "Creatinine", "Na", "mmol/L"],
    "fr": ["Laboratoire", "Hémodynamique", "Créatinine"],
    "de": ["Laborwerte", "Hämodynamik", "Kreatinin"],
    "es": ["Laboratorio", "Hemodinámica", "Creatinina"],
    "it": ["Emodinamica", "Creatinina", "Emocromo"],
    "nl": ["Laboratorium", "Hemodynamiek", "Kreatinine"],
    "pt": ["Laboratório", "Hemodinâmica", "Ureia"],
}


@pytest.mark.parametrize("language,word", [(language, word) for language, words in LABORATORY.items() for word in words])
def test_results_pages_and_haemodynamic_summaries_are_explained(vocabulary, language, word):
    assert vocabulary.explains(word), language


@pytest.mark.parametrize("word", ["D'ÉCHOGRAPHIE", "L'échographie", "dell'addome", "l'utérus", "ULTRASOUND",
                                  "Sonography", "COMPTE"])
def test_modality_names_and_words_after_an_elided_article_are_explained(vocabulary, word):
    assert vocabulary.explains(word)


@pytest.mark.parametrize("name", ["D'Apice", "D'APICE", "D'Arco", "Dell'Acqua", "D'Angelo", "O'Brien"])
def test_a_surname_with_an_elided_article_is_not(vocabulary, name):
    assert not vocabulary.explains(name)
