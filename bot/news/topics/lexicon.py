"""Indonesian newsroom vocabulary that points at each topic of the taxonomy."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Journalistic vocabulary per topic: lines of "weight: comma, separated, terms"; a space in a
# term also matches a hyphen. 3 = names the topic on its own, 2 = typical, 1 = a hint. General
# newsroom words only, so the lexicon carries over to outlets and years it was not checked on.
LEXICON: Mapping[str, str] = MappingProxyType(
    {
        "nasional": """
            2: pemerintah pusat, presiden joko widodo, presiden jokowi, wakil presiden, istana
            2: kemendagri, tni, bnpb, basarnas, tim sar, mudik, bencana alam, pemprov, pemkot
            1: pemerintah, kementerian, menteri, gubernur, bupati, wali kota, walikota, pemkab
            1: banjir, longsor, gempa, kebakaran, evakuasi, warga, kabupaten, kecamatan, desa
            1: ormas, lebaran, ramadan, idul fitri, kecelakaan, korban jiwa, masyarakat
        """,
        "internasional": """
            3: amerika serikat, gedung putih, pbb, perserikatan bangsa-bangsa, uni eropa, nato
            3: kementerian luar negeri, kemlu, menlu, duta besar, dubes, kedutaan, diplomatik
            2: tiongkok, china, jepang, korea selatan, korea utara, rusia, prancis, perancis
            2: australia, malaysia, singapura, thailand, filipina, vietnam, myanmar, rohingya
            2: india, pakistan, afghanistan, iran, irak, suriah, arab saudi, israel, palestina
            2: turki, mesir, yaman, ukraina, kremlin, pyongyang, beijing, moskow, washington
            2: perdana menteri, kanselir, pengungsi, sanksi, bilateral, luar negeri, asean
            1: reuters, afp, xinhua, dilansir, militer, pasukan, rudal, nuklir, perang, konflik
            1: inggris, jerman, italia, spanyol, internasional, negara, dunia, tokyo, seoul
        """,
        "politik": """
            3: pemilu, pilkada, pilpres, pileg, capres, cawapres, elektabilitas, kpu, bawaslu
            3: partai politik, parpol, koalisi, oposisi, fraksi, politisi, politikus, kampanye
            2: partai, dpr, dprd, mpr, anggota dewan, legislator, ketua umum, kabinet, reshuffle
            2: golkar, pdip, pdi-p, gerindra, demokrat, pks, pkb, ppp, nasdem, hanura, perindo
            2: perolehan suara, surat suara, penghitungan suara, pansus, hak angket, parlemen
            1: politik, presiden, ruu, rancangan undang-undang, demokrasi, debat, survei, calon
        """,
        "hukum": """
            3: tersangka, terdakwa, penyidik, penyidikan, penyelidikan, divonis, vonis, dakwaan
            3: kpk, korupsi, suap, gratifikasi, pencucian uang, narkoba, bnn, sabu, praperadilan
            3: pengadilan, hakim, jaksa, kejaksaan, kejati, kejari, pidana, penjara, lapas
            2: polisi, kepolisian, polda, polres, polsek, kapolda, kapolres, kapolsek, ditangkap
            2: penangkapan, ditahan, penahanan, tuntutan, dituntut, hukuman, narapidana, napi
            2: pembunuhan, dibunuh, pencurian, perampokan, penipuan, pemerkosaan, pelecehan
            2: sidang, persidangan, banding, kasasi, mahkamah agung, mahkamah konstitusi
            2: pengacara, kuasa hukum, advokat, gugatan, barang bukti, tkp, teroris, terorisme
            1: hukum, pasal, pelaku, kriminal, kekerasan, laporan polisi, densus, saksi
        """,
        "ekonomi": """
            3: perekonomian, inflasi, pertumbuhan ekonomi, produk domestik bruto, pdb, apbn
            3: bank indonesia, suku bunga, nilai tukar, kurs, neraca perdagangan, fiskal
            3: moneter, ihsg, obligasi, ojk, otoritas jasa keuangan, ditjen pajak, bps
            2: ekonomi, rupiah, dolar, pajak, ekspor, impor, investasi, utang, defisit, subsidi
            2: menteri keuangan, kementerian keuangan, kemenkeu, bursa, saham, daya beli, upah
            2: ump, umr, pengangguran, kemiskinan, komoditas, harga minyak, bbm, bulog, triliun
            1: harga, investor, anggaran, sektor, pasar, miliar, persen, konsumsi, keuangan
        """,
        "bisnis": """
            3: laba bersih, pendapatan, penjualan, omzet, emiten, tbk, akuisisi, merger, ipo
            3: direktur utama, dirut, ceo, pangsa pasar, waralaba, dividen, korporasi, umkm
            2: perusahaan, bisnis, pengusaha, usaha, laba, keuntungan, aset, ekspansi, ritel
            2: konsumen, merek, produk, pabrik, produksi, distributor, pemasaran, bumn, kredit
            2: perbankan, pinjaman, asuransi, properti, investasi, saham, startup, pendanaan
            1: pasar, manajemen, industri, target, strategi, layanan, kerja sama, mitra, harga
        """,
        "olahraga": """
            3: olahraga, atlet, bulu tangkis, bulutangkis, badminton, pebulu tangkis, petenis
            3: tunggal putra, tunggal putri, ganda putra, ganda putri, ganda campuran, pbsi
            3: medali emas, olimpiade, asian games, sea games, motogp, formula 1, pebalap
            3: pembalap, petinju, tinju, bola basket, bola voli, perenang, pegolf, menpora
            2: tenis, basket, voli, renang, atletik, balapan, sirkuit, grand prix, podium, nba
            2: kejuaraan, juara dunia, turnamen, pertandingan, bertanding, laga, pelatih, skuat
            2: semifinal, perempat final, kualifikasi, klasemen, medali, koni, kemenpora, ufc
            1: final, babak, juara, kemenangan, kekalahan, lawan, musim, rekor, poin, set
        """,
        "sepak-bola": """
            3: sepak bola, sepakbola, pesepak bola, kartu merah, kartu kuning, penalti, offside
            3: gelandang, striker, penjaga gawang, kiper, bek, winger, hat-trick, hattrick
            3: liga champions, liga inggris, liga spanyol, liga italia, premier league, la liga
            3: serie a, bundesliga, ligue 1, liga 1, piala dunia, piala aff, pssi, fifa, uefa
            2: gol, gawang, penyerang, tendangan, sundulan, assist, wasit, timnas, stadion
            2: bursa transfer, klub, suporter, lini tengah, lini belakang, liga, derby, afc
            2: persija, persib, arema, persebaya, psm, barcelona, real madrid, juventus
            2: manchester united, manchester city, liverpool, chelsea, arsenal, bayern, psg
            1: transfer, kontrak, pelatih, menit, babak pertama, babak kedua, skor, laga
        """,
        "teknologi": """
            3: teknologi, smartphone, ponsel, gawai, gadget, android, ios, iphone, aplikasi
            3: startup, perusahaan rintisan, e-commerce, marketplace, fintech, software
            3: perangkat lunak, perangkat keras, prosesor, chipset, sistem operasi, siber
            3: kecerdasan buatan, artificial intelligence, machine learning, peretas, hacker
            2: internet, digital, platform, pengguna, fitur, google, microsoft, perangkat lunak
            2: apple, samsung, xiaomi, oppo, huawei, laptop, komputer, kamera ponsel
            2: malware, data pribadi, 5g, 4g, kominfo, teknologi informasi, situs web, website
            2: operator seluler, telkomsel, modal ventura, developer, pengembang, unicorn, robot
            1: data, layanan, online, daring, versi, pembaruan, update, perangkat, game, inovasi
            1: facebook, twitter, whatsapp, instagram, youtube, media sosial, medsos
        """,
        "sains": """
            3: ilmuwan, nasa, antariksa, luar angkasa, astronot, galaksi, asteroid, fosil
            3: dinosaurus, arkeolog, arkeologi, spesies, evolusi, genetik, lipi, lapan, brin
            2: peneliti, penelitian, riset, jurnal, planet, satelit, roket, laboratorium, dna
            2: perubahan iklim, pemanasan global, fisika, kimia, biologi, eksperimen, ilmiah
            1: studi, temuan, meneliti, bumi, matahari, bulan, hewan, ekosistem, gen
        """,
        "hiburan": """
            3: film, sutradara, aktor, aktris, bioskop, box office, sinetron, konser, musisi
            3: penyanyi, album, grup musik, band, k-pop, kpop, hollywood, bollywood, trailer
            2: musik, lagu, single, drama, pemeran, sekuel, penonton, panggung, netflix, oscar
            2: grammy, piala citra, komedi, komedian, serial, episode, animasi, teater, pentas
            2: dangdut, rapper, vokalis, gitaris, drummer, label rekaman, festival, hiburan
            1: rilis, karya, penggemar, fan, tur, video klip, tayang, televisi, tv, acara
        """,
        "seleb": """
            3: selebriti, seleb, selebgram, pesinetron, artis, presenter, gosip
            2: pernikahan, menikah, bercerai, cerai, pacar, kekasih, pacaran, mantan suami
            2: mantan istri, unggahan, warganet, netizen, rumah tangga, sang suami, sang istri
            2: perceraian, asmara, selingkuh, perselingkuhan, tunangan, bertunangan, lamaran
            1: hamil, melahirkan, instagram, akun, kabar, suami, istri, putri, putra, sahabat
        """,
        "kesehatan": """
            3: kesehatan, penyakit, pasien, rumah sakit, kanker, diabetes, vaksin, imunisasi
            3: gejala, diagnosis, pengobatan, kolesterol, hipertensi, tekanan darah, obesitas
            3: kemenkes, menteri kesehatan, bpjs kesehatan, demam berdarah, dbd, puskesmas
            2: dokter, virus, jantung, stroke, obat, terapi, nutrisi, gizi, vitamin, infeksi
            2: bakteri, medis, klinis, wabah, pandemi, covid, hiv, tbc, kesehatan mental
            1: sehat, tubuh, diet, tidur, stres, depresi, kalori, lemak, gula, risiko, studi
        """,
        "otomotif": """
            3: otomotif, mobil, sepeda motor, kendaraan bermotor, sedan, suv, mpv, hatchback
            3: gaikindo, aisi, diler, dealer, mobil listrik, kendaraan listrik, transmisi
            2: toyota, honda, suzuki, daihatsu, mitsubishi, yamaha, kawasaki, hyundai, wuling
            2: bmw, mercedes-benz, nissan, mazda, kia, mesin, tenaga kuda, torsi, pabrikan
            1: kendaraan, motor, varian, irit, bensin, pengemudi, berkendara, ban, kabin
        """,
        "gaya-hidup": """
            3: gaya hidup, fesyen, fashion, busana, desainer, kecantikan, makeup, riasan
            3: kuliner, resep, parenting, kosmetik, perawatan kulit, skincare, perhiasan
            2: makanan, restoran, kafe, kopi, hidangan, menu, tren, koleksi, parfum, hobi
            2: hewan peliharaan, anjing, kucing, pasangan, orangtua, orang tua, dekorasi
            1: belanja, gaya, cantik, penampilan, santai, rileks
        """,
        "travel": """
            3: wisata, wisatawan, turis, destinasi, pariwisata, objek wisata, berlibur
            3: kemenpar, menteri pariwisata, backpacker, pendakian, snorkeling, diving
            2: pantai, gunung, hotel, resor, penginapan, tiket pesawat, maskapai, liburan
            2: candi, museum, pulau, danau, air terjun, traveling, perjalanan, jalan-jalan
            1: bandara, budaya, tradisi, festival, alam, pemandangan, kota, kunjungan
        """,
        "pendidikan": """
            3: pendidikan, sekolah, siswa, pelajar, murid, guru, dosen, mahasiswa, kampus
            3: universitas, perguruan tinggi, rektor, kurikulum, ujian nasional, unbk, ppdb
            3: snmptn, sbmptn, beasiswa, wisuda, kemendikbud, mendikbud, kemenristekdikti
            2: sarjana, madrasah, pesantren, santri, akademik, fakultas, skripsi, lulusan
            1: belajar, pembelajaran, kelas, sd, smp, sma, smk, ilmu, prestasi
        """,
    }
)
