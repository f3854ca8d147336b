// chinaExtraTransInfo's business types and its shapes: what a merchant gives the builder, what AMS expects. No logic.

/** AMS `businessType` codes by name. */
export const CHINA_BUSINESS_TYPES = Object.freeze({
  HOTEL: '1',
  AIR_TICKET: '2',
  STUDY_ABROAD: '3',
  TRADE: '4',
  OTHER: '5',
} as const);

export type ChinaBusinessTypeCode = (typeof CHINA_BUSINESS_TYPES)[keyof typeof CHINA_BUSINESS_TYPES];

/** A name in upper or lower case; any other casing, or '-' / ' ' for '_', is accepted at run time too. */
type Spelled<N extends string> = N | Lowercase<N>;

export type HotelBusinessType = '1' | Spelled<'HOTEL'>;
export type AirTicketBusinessType = '2' | Spelled<'AIR_TICKET'> | Spelled<'AIR'> | Spelled<'FLIGHT'>;
export type StudyAbroadBusinessType = '3' | Spelled<'STUDY_ABROAD'> | Spelled<'STUDY'>;
export type TradeBusinessType = '4' | Spelled<'TRADE'> | Spelled<'GOODS'>;
export type OtherBusinessTypeName = '5' | Spelled<'OTHER'>;

export interface GoodsItem {
  /** May contain spaces; never `^`, `|` or control characters (they would corrupt goodsInfo). */
  name: string;
  /** A positive integer (a number, or a string of digits). */
  quantity: number | string;
}

export interface HotelInfoInput {
  businessType: HotelBusinessType;
  hotelName: string;
  checkinTime: string;
  checkoutTime: string;
}
export interface AirTicketInfoInput {
  businessType: AirTicketBusinessType;
  flightNumber: string;
  departureTime: string;
}
export interface StudyAbroadInfoInput {
  businessType: StudyAbroadBusinessType;
  admissionNoticeUrl: string;
}
/** Trade from a list of goods: goodsInfo and totalQuantity are computed. */
export interface TradeGoodsInfoInput {
  businessType: TradeBusinessType;
  goods: readonly GoodsItem[];
  /** Optional; when given it must equal the sum of the quantities. */
  totalQuantity?: number | string;
  goodsInfo?: never;
}
/** Trade from an already-built goodsInfo string (`pencil^2|eraser^5`), checked against totalQuantity. */
export interface TradeGoodsInfoStringInput {
  businessType: TradeBusinessType;
  goodsInfo: string;
  totalQuantity: number | string;
  goods?: never;
}
export interface OtherInfoInput {
  businessType: OtherBusinessTypeName;
  otherBusinessType: string;
}

/** Input of `buildChinaExtraTransInfo`; an already-built `ChinaExtraTransInfo` is valid input too. */
export type ChinaExtraTransInfoInput =
  HotelInfoInput | AirTicketInfoInput | StudyAbroadInfoInput | TradeGoodsInfoInput | TradeGoodsInfoStringInput | OtherInfoInput;

export interface HotelInfo {
  businessType: '1';
  hotelName: string;
  checkinTime: string;
  checkoutTime: string;
}
export interface AirTicketInfo {
  businessType: '2';
  flightNumber: string;
  departureTime: string;
}
export interface StudyAbroadInfo {
  businessType: '3';
  admissionNoticeUrl: string;
}
export interface TradeInfo {
  businessType: '4';
  goodsInfo: string;
  totalQuantity: string;
}
export interface OtherInfo {
  businessType: '5';
  otherBusinessType: string;
}

/** chinaExtraTransInfo as AMS expects it: the code as businessType and every value a string. */
export type ChinaExtraTransInfo = HotelInfo | AirTicketInfo | StudyAbroadInfo | TradeInfo | OtherInfo;

/** The output type for a given input type, so `build…({ businessType: 'TRADE', … })` is a `TradeInfo`. */
export type ChinaExtraTransInfoFor<I> = I extends HotelInfoInput
  ? HotelInfo
  : I extends AirTicketInfoInput
    ? AirTicketInfo
    : I extends StudyAbroadInfoInput
      ? StudyAbroadInfo
      : I extends TradeGoodsInfoInput | TradeGoodsInfoStringInput
        ? TradeInfo
        : I extends OtherInfoInput
          ? OtherInfo
          : ChinaExtraTransInfo;
