export type NoticeCategory =
  'finance' | 'subsidy' | 'points' | 'resolution' | 'affairs' | 'party_building' | 'culture' | 'other';
export type NoticeStatus = 'scheduled' | 'published' | 'withdrawn';
