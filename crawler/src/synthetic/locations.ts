/**
 * Observation stations used by the fixture site and by load mode. Real Korean places (the paper crawled Korean
 * portal weather pages), with a climate offset and a pollution factor so that generated series differ per place
 * the way real ones do (the coast is milder, industrial cities dustier).
 */
export interface Station {
  id: string;
  name: string;
  /** °C added to the national seasonal mean. */
  temperatureOffset: number;
  /** Multiplier on the national PM baseline. */
  pollution: number;
}

export const STATIONS: readonly Station[] = [
  { id: "seoul-gangnam", name: "서울특별시 강남구 역삼동", temperatureOffset: 0.5, pollution: 1.1 },
  { id: "seoul-jongno", name: "서울특별시 종로구 종로1가", temperatureOffset: 0.3, pollution: 1.15 },
  { id: "seoul-mapo", name: "서울특별시 마포구 서교동", temperatureOffset: 0.2, pollution: 1.05 },
  { id: "busan-haeundae", name: "부산광역시 해운대구 우동", temperatureOffset: 1.8, pollution: 0.8 },
  { id: "incheon-yeonsu", name: "인천광역시 연수구 송도동", temperatureOffset: -0.2, pollution: 1.0 },
  { id: "daegu-jung", name: "대구광역시 중구 동인동", temperatureOffset: 1.4, pollution: 1.0 },
  { id: "daejeon-yuseong", name: "대전광역시 유성구 봉명동", temperatureOffset: 0.4, pollution: 0.9 },
  { id: "gwangju-buk", name: "광주광역시 북구 용봉동", temperatureOffset: 1.0, pollution: 0.85 },
  { id: "ulsan-nam", name: "울산광역시 남구 삼산동", temperatureOffset: 1.5, pollution: 1.2 },
  { id: "sejong-hansol", name: "세종특별자치시 한솔동", temperatureOffset: 0.0, pollution: 0.95 },
  { id: "suwon-paldal", name: "경기도 수원시 팔달구 인계동", temperatureOffset: 0.1, pollution: 1.05 },
  { id: "chuncheon", name: "강원특별자치도 춘천시 효자동", temperatureOffset: -1.5, pollution: 0.9 },
  { id: "gangneung", name: "강원특별자치도 강릉시 교동", temperatureOffset: 0.2, pollution: 0.7 },
  { id: "cheongju", name: "충청북도 청주시 상당구 용암동", temperatureOffset: 0.0, pollution: 1.1 },
  { id: "jeonju", name: "전북특별자치도 전주시 완산구 효자동", temperatureOffset: 0.8, pollution: 1.0 },
  { id: "mokpo", name: "전라남도 목포시 상동", temperatureOffset: 1.6, pollution: 0.75 },
  { id: "andong", name: "경상북도 안동시 옥동", temperatureOffset: -0.3, pollution: 0.8 },
  { id: "pohang", name: "경상북도 포항시 남구 대잠동", temperatureOffset: 1.3, pollution: 1.15 },
  { id: "changwon", name: "경상남도 창원시 성산구 상남동", temperatureOffset: 1.5, pollution: 0.95 },
  { id: "jeju", name: "제주특별자치도 제주시 이도이동", temperatureOffset: 3.0, pollution: 0.6 },
];

export function findStation(id: string): Station | undefined {
  return STATIONS.find((s) => s.id === id);
}

/**
 * The first `count` stations, cycling through {@link STATIONS} with numbered copies ("#2") once the real places
 * run out, so load mode can simulate any number of sources while keeping realistic names and climates.
 */
export function stationCatalogue(count: number): Station[] {
  const out: Station[] = [];
  for (let i = 0; i < count; i++) {
    const base = STATIONS[i % STATIONS.length] as Station;
    const copy = Math.floor(i / STATIONS.length);
    out.push(copy === 0 ? base : { ...base, id: `${base.id}-${copy + 1}`, name: `${base.name} #${copy + 1}` });
  }
  return out;
}
