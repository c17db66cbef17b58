// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
import { BattleOracle } from './BattleOracle'
import { BattleSeat } from './BattleSeat'

export class BattleState extends Schema {
    @type("string") public roomStatus!: string;
    @type("uint32") public tick!: number;
    @type("string") public status!: string;
    @type("uint32") public startTick!: number;
    @type("uint32") public lastTick!: number;
    @type("string") public winnerSide!: string;
    @type("string") public endReason!: string;
    @type("string") public wagerCurrency!: string;
    @type("uint32") public wagerAmount!: number;
    @type({ map: BattleOracle }) public oracles: MapSchema<BattleOracle> = new MapSchema<BattleOracle>();
    @type({ map: BattleSeat }) public seats: MapSchema<BattleSeat> = new MapSchema<BattleSeat>();
}
