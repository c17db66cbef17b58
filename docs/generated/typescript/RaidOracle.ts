// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
import { RaidStatus } from './RaidStatus'
import { RaidCooldown } from './RaidCooldown'

export class RaidOracle extends Schema {
    @type("string") public oracleId!: string;
    @type("string") public playerId!: string;
    @type("string") public name!: string;
    @type("string") public element!: string;
    @type("uint32") public hp!: number;
    @type("uint32") public maxHp!: number;
    @type("uint32") public shield!: number;
    @type("boolean") public fallen!: boolean;
    @type([ "string" ]) public abilities: ArraySchema<string> = new ArraySchema<string>();
    @type([ RaidStatus ]) public statuses: ArraySchema<RaidStatus> = new ArraySchema<RaidStatus>();
    @type([ RaidCooldown ]) public cooldowns: ArraySchema<RaidCooldown> = new ArraySchema<RaidCooldown>();
}
