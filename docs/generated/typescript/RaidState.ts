// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
import { RaidBoss } from './RaidBoss'
import { RaidOracle } from './RaidOracle'
import { RaidSeat } from './RaidSeat'
import { RaidLoot } from './RaidLoot'

export class RaidState extends Schema {
    @type("string") public roomStatus!: string;
    @type("uint32") public tick!: number;
    @type("string") public status!: string;
    @type("string") public raidId!: string;
    @type("string") public contentVersion!: string;
    @type("uint32") public startTick!: number;
    @type("uint32") public lastTick!: number;
    @type("string") public outcome!: string;
    @type(RaidBoss) public boss: RaidBoss = new RaidBoss();
    @type({ map: RaidOracle }) public oracles: MapSchema<RaidOracle> = new MapSchema<RaidOracle>();
    @type({ map: RaidSeat }) public seats: MapSchema<RaidSeat> = new MapSchema<RaidSeat>();
    @type({ map: RaidLoot }) public loot: MapSchema<RaidLoot> = new MapSchema<RaidLoot>();
}
